import type { Queryable } from '../../../platform/db/pool.ts';

/** SQL for the one-time links an admin hands a person (invitations and password resets). */

export type AccountLinkPurpose = 'invite' | 'reset';

export interface AccountLinkRow {
  id: string;
  user_id: string;
  purpose: AccountLinkPurpose;
  token_hash: string;
  created_by: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** Stores a new link for a person and drops their unused ones: only the newest link works. */
export async function replaceAccountLink(
  db: Queryable,
  link: {
    userId: string;
    purpose: AccountLinkPurpose;
    tokenHash: string;
    createdBy: string | null;
    at: Date;
    expiresAt: Date;
  },
): Promise<AccountLinkRow> {
  await db.query('DELETE FROM account_links WHERE user_id = $1 AND used_at IS NULL', [link.userId]);
  const { rows } = await db.query<AccountLinkRow>(
    `INSERT INTO account_links (user_id, purpose, token_hash, created_by, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [link.userId, link.purpose, link.tokenHash, link.createdBy, link.at, link.expiresAt],
  );
  return rows[0]!;
}

/** A link by the hash of its secret; `lock` holds it for the transaction that uses it up. */
export async function findAccountLink(
  db: Queryable,
  tokenHash: string,
  options: { lock?: boolean } = {},
): Promise<AccountLinkRow | undefined> {
  const { rows } = await db.query<AccountLinkRow>(
    `SELECT * FROM account_links WHERE token_hash = $1${options.lock ? ' FOR UPDATE' : ''}`,
    [tokenHash],
  );
  return rows[0];
}

/** Marks a link used, and drops the person's other unused links. */
export async function useAccountLink(db: Queryable, link: AccountLinkRow, at: Date) {
  await db.query('UPDATE account_links SET used_at = $2 WHERE id = $1', [link.id, at]);
  await db.query('DELETE FROM account_links WHERE user_id = $1 AND used_at IS NULL AND id <> $2', [
    link.user_id,
    link.id,
  ]);
}

/** The newest unused invitation of each of `userIds` (expired ones too: the list says so). */
export async function pendingInvitations(
  db: Queryable,
  userIds: string[],
): Promise<Map<string, { expiresAt: Date }>> {
  const { rows } = await db.query<{ user_id: string; expires_at: Date }>(
    `SELECT DISTINCT ON (user_id) user_id, expires_at FROM account_links
     WHERE user_id = ANY($1::uuid[]) AND purpose = 'invite' AND used_at IS NULL
     ORDER BY user_id, created_at DESC`,
    [userIds],
  );
  return new Map(rows.map((r) => [r.user_id, { expiresAt: r.expires_at }]));
}
