import type { Queryable } from '../../platform/db/pool.ts';
import type { Sealed } from './vault.ts';

export interface SecretRow {
  id: string;
  project_id: string;
  name: string;
  ciphertext: Buffer;
  iv: Buffer;
  auth_tag: Buffer;
  key_id: string;
  version: number;
  /** Given only to code a maintainer vouches for (docs/git-and-pipelines.md). */
  protected: boolean;
  created_at: Date;
  updated_at: Date;
}

export async function upsertSecret(
  db: Queryable,
  s: {
    projectId: string;
    name: string;
    sealed: Sealed;
    createdBy: string | null;
    /** Undefined: a new secret is protected, a replaced one keeps its flag. */
    protected?: boolean;
  },
): Promise<SecretRow & { inserted: boolean }> {
  const { rows } = await db.query(
    `INSERT INTO secrets (project_id, name, ciphertext, iv, auth_tag, key_id, created_by, protected)
     VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8, true))
     ON CONFLICT (project_id, name) DO UPDATE SET
       ciphertext = EXCLUDED.ciphertext, iv = EXCLUDED.iv, auth_tag = EXCLUDED.auth_tag,
       key_id = EXCLUDED.key_id, version = secrets.version + 1, updated_at = now(),
       protected = COALESCE($8, secrets.protected)
     RETURNING *, (xmax = 0) AS inserted`,
    [
      s.projectId,
      s.name,
      s.sealed.ciphertext,
      s.sealed.iv,
      s.sealed.authTag,
      s.sealed.keyId,
      s.createdBy,
      s.protected ?? null,
    ],
  );
  return rows[0];
}

export async function updateSecretProtected(
  db: Queryable,
  projectId: string,
  name: string,
  value: boolean,
): Promise<SecretRow | undefined> {
  const { rows } = await db.query<SecretRow>(
    'UPDATE secrets SET protected = $3, updated_at = now() WHERE project_id = $1 AND name = $2 RETURNING *',
    [projectId, name, value],
  );
  return rows[0];
}

export async function listSecretRows(db: Queryable, projectId: string): Promise<SecretRow[]> {
  const { rows } = await db.query<SecretRow>('SELECT * FROM secrets WHERE project_id = $1 ORDER BY name', [
    projectId,
  ]);
  return rows;
}

export async function deleteSecretRow(db: Queryable, projectId: string, name: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM secrets WHERE project_id = $1 AND name = $2', [
    projectId,
    name,
  ]);
  return (rowCount ?? 0) > 0;
}

/** Project secrets as a sealed store: `rotate-key` re-seals them, `key-status` counts them. */
export async function countSecretsByKey(db: Queryable) {
  const { rows } = await db.query<{ keyId: string; count: number }>(
    'SELECT key_id AS "keyId", count(*)::int AS count FROM secrets GROUP BY key_id ORDER BY key_id',
  );
  return rows;
}

export async function lockSecretsNotUnder(
  tx: Queryable,
  q: { notKeyId: string; after: string | null; limit: number },
): Promise<SecretRow[]> {
  const { rows } = await tx.query<SecretRow>(
    `SELECT * FROM secrets WHERE key_id <> $1 AND ($2::uuid IS NULL OR id > $2::uuid)
     ORDER BY id LIMIT $3 FOR UPDATE`,
    [q.notKeyId, q.after, q.limit],
  );
  return rows;
}

/** Re-sealed under another key: the value, its version and its dates are unchanged. */
export async function replaceSecretSeal(tx: Queryable, id: string, sealed: Sealed) {
  await tx.query('UPDATE secrets SET ciphertext = $2, iv = $3, auth_tag = $4, key_id = $5 WHERE id = $1', [
    id,
    sealed.ciphertext,
    sealed.iv,
    sealed.authTag,
    sealed.keyId,
  ]);
}
