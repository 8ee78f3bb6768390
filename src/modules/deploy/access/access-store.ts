/** SQL of private environments: their access mode, share links, and the grants that let browsers in. */
import type { Queryable } from '../../../platform/db/pool.ts';

export type EnvironmentAccess = 'private' | 'public';

export interface ShareLinkRow {
  id: string;
  environment_id: string;
  note: string;
  created_by: string | null;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface AccessGrantRow {
  environment_id: string;
  kind: 'exchange' | 'cookie';
  user_id: string | null;
  share_link_id: string | null;
  expires_at: Date;
}

/** What the proxy needs of an environment to decide who may see it. */
export interface LabelAccess {
  environmentId: string;
  projectId: string;
  access: EnvironmentAccess;
}

export async function findAccessByLabel(db: Queryable, label: string): Promise<LabelAccess | undefined> {
  const { rows } = await db.query<{ id: string; project_id: string; access: EnvironmentAccess }>(
    'SELECT id, project_id, access FROM environments WHERE host_label = $1',
    [label],
  );
  const row = rows[0];
  return row && { environmentId: row.id, projectId: row.project_id, access: row.access };
}

export async function setEnvironmentAccess(db: Queryable, environmentId: string, access: EnvironmentAccess) {
  await db.query('UPDATE environments SET access = $2, updated_at = now() WHERE id = $1', [
    environmentId,
    access,
  ]);
}

export async function insertShareLink(
  db: Queryable,
  link: { environmentId: string; tokenHash: string; note: string; createdBy: string | null; expiresAt: Date },
): Promise<ShareLinkRow> {
  const { rows } = await db.query<ShareLinkRow>(
    `INSERT INTO environment_share_links (environment_id, token_hash, note, created_by, expires_at)
     VALUES ($1, $2, $3, $4, $5)
     RETURNING id, environment_id, note, created_by, created_at, expires_at, revoked_at`,
    [link.environmentId, link.tokenHash, link.note, link.createdBy, link.expiresAt],
  );
  return rows[0]!;
}

export async function listShareLinks(db: Queryable, environmentId: string): Promise<ShareLinkRow[]> {
  const { rows } = await db.query<ShareLinkRow>(
    `SELECT id, environment_id, note, created_by, created_at, expires_at, revoked_at
       FROM environment_share_links WHERE environment_id = $1 ORDER BY created_at DESC LIMIT 200`,
    [environmentId],
  );
  return rows;
}

/** A share link that may still be used, by its token's hash. */
export async function findLiveShareLink(
  db: Queryable,
  tokenHash: string,
  now: Date,
): Promise<ShareLinkRow | undefined> {
  const { rows } = await db.query<ShareLinkRow>(
    `SELECT id, environment_id, note, created_by, created_at, expires_at, revoked_at
       FROM environment_share_links
      WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2`,
    [tokenHash, now],
  );
  return rows[0];
}

/** Revokes a link and every cookie it was exchanged for; false when there is no such live link. */
export async function revokeShareLink(db: Queryable, environmentId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE environment_share_links SET revoked_at = now()
      WHERE id = $1 AND environment_id = $2 AND revoked_at IS NULL`,
    [id, environmentId],
  );
  if (!rowCount) return false;
  await db.query('DELETE FROM environment_access_grants WHERE share_link_id = $1', [id]);
  return true;
}

export async function insertAccessGrant(
  db: Queryable,
  grant: {
    tokenHash: string;
    environmentId: string;
    kind: 'exchange' | 'cookie';
    userId: string | null;
    shareLinkId: string | null;
    expiresAt: Date;
  },
) {
  await db.query(
    `INSERT INTO environment_access_grants (token_hash, environment_id, kind, user_id, share_link_id, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [grant.tokenHash, grant.environmentId, grant.kind, grant.userId, grant.shareLinkId, grant.expiresAt],
  );
}

/** A one-time exchange token, used up by reading it. */
export async function takeExchangeGrant(
  db: Queryable,
  tokenHash: string,
  now: Date,
): Promise<AccessGrantRow | undefined> {
  const { rows } = await db.query<AccessGrantRow>(
    `DELETE FROM environment_access_grants WHERE token_hash = $1 AND kind = 'exchange'
     RETURNING environment_id, kind, user_id, share_link_id, expires_at`,
    [tokenHash],
  );
  const row = rows[0];
  return row && row.expires_at > now ? row : undefined;
}

export async function findCookieGrant(
  db: Queryable,
  tokenHash: string,
  now: Date,
): Promise<AccessGrantRow | undefined> {
  const { rows } = await db.query<AccessGrantRow>(
    `SELECT environment_id, kind, user_id, share_link_id, expires_at FROM environment_access_grants
      WHERE token_hash = $1 AND kind = 'cookie' AND expires_at > $2`,
    [tokenHash, now],
  );
  return rows[0];
}

/** Expired grants are of no use to anyone. */
export async function deleteExpiredGrants(db: Queryable, now: Date): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM environment_access_grants WHERE expires_at <= $1', [now]);
  return rowCount ?? 0;
}
