import type { Queryable } from '../../../platform/db/pool.ts';
import type { KeyCount, SealedValue } from '../../secrets/index.ts';

type Sealed = SealedValue['sealed'];

/** SQL of `ingest_tokens`: one ingest token per environment, found by its SHA-256. */

export interface IngestTokenRow {
  environment_id: string;
  project_id: string;
  token_ciphertext: Buffer;
  token_iv: Buffer;
  token_auth_tag: Buffer;
  token_key_id: string;
}

/** AAD of an environment's token: the ciphertext opens only for the environment it was sealed for. */
export const ingestTokenAad = (environmentId: string) => `ingest-token/${environmentId}`;

export const sealedToken = (row: IngestTokenRow): Sealed => ({
  ciphertext: row.token_ciphertext,
  iv: row.token_iv,
  authTag: row.token_auth_tag,
  keyId: row.token_key_id,
});

/** Inserts the environment's token unless it has one already (a concurrent start won). */
export async function insertIngestToken(
  db: Queryable,
  t: { environmentId: string; projectId: string; hash: Buffer; sealed: Sealed },
): Promise<void> {
  await db.query(
    `INSERT INTO ingest_tokens (environment_id, project_id, token_hash, token_ciphertext, token_iv,
       token_auth_tag, token_key_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (environment_id) DO NOTHING`,
    [
      t.environmentId,
      t.projectId,
      t.hash,
      t.sealed.ciphertext,
      t.sealed.iv,
      t.sealed.authTag,
      t.sealed.keyId,
    ],
  );
}

export async function findIngestToken(
  db: Queryable,
  environmentId: string,
): Promise<IngestTokenRow | undefined> {
  const { rows } = await db.query<IngestTokenRow>('SELECT * FROM ingest_tokens WHERE environment_id = $1', [
    environmentId,
  ]);
  return rows[0];
}

export async function findTenantByTokenHash(
  db: Queryable,
  hash: Buffer,
): Promise<{ environmentId: string; projectId: string } | undefined> {
  const { rows } = await db.query<{ environmentId: string; projectId: string }>(
    `SELECT environment_id AS "environmentId", project_id AS "projectId" FROM ingest_tokens
     WHERE token_hash = $1`,
    [hash],
  );
  return rows[0];
}

export async function countIngestTokensByKey(db: Queryable): Promise<KeyCount[]> {
  const { rows } = await db.query<KeyCount>(
    `SELECT token_key_id AS "keyId", count(*)::int AS count FROM ingest_tokens
     GROUP BY token_key_id ORDER BY token_key_id`,
  );
  return rows;
}

export async function lockIngestTokensNotUnder(
  tx: Queryable,
  q: { notKeyId: string; after: string | null; limit: number },
): Promise<IngestTokenRow[]> {
  const { rows } = await tx.query<IngestTokenRow>(
    `SELECT * FROM ingest_tokens WHERE token_key_id <> $1 AND ($2::uuid IS NULL OR environment_id > $2::uuid)
     ORDER BY environment_id LIMIT $3 FOR UPDATE`,
    [q.notKeyId, q.after, q.limit],
  );
  return rows;
}

export async function replaceIngestTokenSeal(tx: Queryable, environmentId: string, sealed: Sealed) {
  await tx.query(
    `UPDATE ingest_tokens SET token_ciphertext = $2, token_iv = $3, token_auth_tag = $4, token_key_id = $5
     WHERE environment_id = $1`,
    [environmentId, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId],
  );
}
