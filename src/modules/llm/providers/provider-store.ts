import type { Queryable } from '../../../platform/db/pool.ts';
import type { ModelConfig, ProviderKind, Sealed } from './provider-entry.ts';

export interface ProviderRow {
  id: string;
  name: string;
  kind: ProviderKind;
  base_url: string;
  api_key_ref: string | null;
  key_ciphertext: Buffer | null;
  key_iv: Buffer | null;
  key_auth_tag: Buffer | null;
  key_id: string | null;
  models: ModelConfig[];
  created_at: Date;
  updated_at: Date;
}

export async function listProviderRows(db: Queryable): Promise<ProviderRow[]> {
  const { rows } = await db.query<ProviderRow>('SELECT * FROM llm_providers ORDER BY name');
  return rows;
}

export async function findProviderRow(db: Queryable, name: string): Promise<ProviderRow | undefined> {
  const { rows } = await db.query<ProviderRow>('SELECT * FROM llm_providers WHERE name = $1', [name]);
  return rows[0];
}

export interface ProviderWrite {
  kind: ProviderKind;
  baseUrl: string;
  models: ModelConfig[];
  /** `undefined`: keep the key as it is (updates only). */
  key?: { ref: string | null; sealed: Sealed | null };
}

export async function insertProviderRow(
  db: Queryable,
  p: ProviderWrite & { id: string; name: string; createdBy: string | null },
): Promise<ProviderRow> {
  const { rows } = await db.query<ProviderRow>(
    `INSERT INTO llm_providers (id, name, kind, base_url, models, api_key_ref, key_ciphertext, key_iv, key_auth_tag, key_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
    [p.id, p.name, p.kind, p.baseUrl, JSON.stringify(p.models), ...keyValues(p.key), p.createdBy],
  );
  return rows[0]!;
}

export async function updateProviderRow(
  db: Queryable,
  name: string,
  p: Partial<ProviderWrite>,
): Promise<ProviderRow> {
  const { rows } = await db.query<ProviderRow>(
    `UPDATE llm_providers SET kind = COALESCE($2, kind), base_url = COALESCE($3, base_url),
       models = COALESCE($4::jsonb, models),
       api_key_ref = CASE WHEN $5 THEN $6 ELSE api_key_ref END,
       key_ciphertext = CASE WHEN $5 THEN $7 ELSE key_ciphertext END,
       key_iv = CASE WHEN $5 THEN $8 ELSE key_iv END,
       key_auth_tag = CASE WHEN $5 THEN $9 ELSE key_auth_tag END,
       key_id = CASE WHEN $5 THEN $10 ELSE key_id END,
       updated_at = clock_timestamp()
     WHERE name = $1 RETURNING *`,
    [
      name,
      p.kind ?? null,
      p.baseUrl ?? null,
      p.models ? JSON.stringify(p.models) : null,
      p.key !== undefined,
      ...keyValues(p.key),
    ],
  );
  return rows[0]!;
}

export async function deleteProviderRow(db: Queryable, name: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM llm_providers WHERE name = $1', [name]);
  return (rowCount ?? 0) > 0;
}

function keyValues(key: ProviderWrite['key']) {
  const sealed = key?.sealed ?? null;
  return [
    key?.ref ?? null,
    sealed?.ciphertext ?? null,
    sealed?.iv ?? null,
    sealed?.authTag ?? null,
    sealed?.keyId ?? null,
  ];
}

export async function findLlmSecret(db: Queryable, name: string): Promise<Sealed | undefined> {
  const { rows } = await db.query<{ ciphertext: Buffer; iv: Buffer; auth_tag: Buffer; key_id: string }>(
    'SELECT ciphertext, iv, auth_tag, key_id FROM llm_secrets WHERE name = $1',
    [name],
  );
  const row = rows[0];
  return row && { ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag, keyId: row.key_id };
}

export async function upsertLlmSecret(db: Queryable, name: string, sealed: Sealed, createdBy: string | null) {
  const { rows } = await db.query<{ inserted: boolean; updated_at: Date }>(
    `INSERT INTO llm_secrets (name, ciphertext, iv, auth_tag, key_id, created_by) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (name) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, iv = EXCLUDED.iv, auth_tag = EXCLUDED.auth_tag,
       key_id = EXCLUDED.key_id, updated_at = now()
     RETURNING (xmax = 0) AS inserted, updated_at`,
    [name, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId, createdBy],
  );
  return rows[0]!;
}

export async function listLlmSecretNames(db: Queryable) {
  const { rows } = await db.query<{ name: string; created_at: Date; updated_at: Date }>(
    'SELECT name, created_at, updated_at FROM llm_secrets ORDER BY name',
  );
  return rows;
}

export async function deleteLlmSecret(db: Queryable, name: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM llm_secrets WHERE name = $1', [name]);
  return (rowCount ?? 0) > 0;
}

/** Sealed-store SQL for `rotate-key` and `key-status` (see providers/sealed-stores.ts). */
export async function countLlmSecretsByKey(db: Queryable) {
  const { rows } = await db.query<{ keyId: string; count: number }>(
    'SELECT key_id AS "keyId", count(*)::int AS count FROM llm_secrets GROUP BY key_id ORDER BY key_id',
  );
  return rows;
}

export async function lockLlmSecretsNotUnder(
  tx: Queryable,
  q: { notKeyId: string; after: string | null; limit: number },
) {
  const { rows } = await tx.query<{
    name: string;
    ciphertext: Buffer;
    iv: Buffer;
    auth_tag: Buffer;
    key_id: string;
  }>(
    `SELECT name, ciphertext, iv, auth_tag, key_id FROM llm_secrets
     WHERE key_id <> $1 AND ($2::text IS NULL OR name > $2) ORDER BY name LIMIT $3 FOR UPDATE`,
    [q.notKeyId, q.after, q.limit],
  );
  return rows;
}

/** Re-sealed under another key; `updated_at` stays (the value did not change). */
export async function replaceLlmSecretSeal(tx: Queryable, name: string, sealed: Sealed) {
  await tx.query(
    'UPDATE llm_secrets SET ciphertext = $2, iv = $3, auth_tag = $4, key_id = $5 WHERE name = $1',
    [name, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId],
  );
}

export async function countProviderKeysByKey(db: Queryable) {
  const { rows } = await db.query<{ keyId: string; count: number }>(
    `SELECT key_id AS "keyId", count(*)::int AS count FROM llm_providers WHERE key_id IS NOT NULL
     GROUP BY key_id ORDER BY key_id`,
  );
  return rows;
}

export async function lockProviderKeysNotUnder(
  tx: Queryable,
  q: { notKeyId: string; after: string | null; limit: number },
): Promise<ProviderRow[]> {
  const { rows } = await tx.query<ProviderRow>(
    `SELECT * FROM llm_providers WHERE key_id IS NOT NULL AND key_id <> $1
       AND ($2::uuid IS NULL OR id > $2::uuid) ORDER BY id LIMIT $3 FOR UPDATE`,
    [q.notKeyId, q.after, q.limit],
  );
  return rows;
}

/**
 * Re-sealed under another key. `updated_at` stays: it is the provider's version, and the key
 * (the plaintext) every replica has cached for that version did not change.
 */
export async function replaceProviderKeySeal(tx: Queryable, id: string, sealed: Sealed) {
  await tx.query(
    'UPDATE llm_providers SET key_ciphertext = $2, key_iv = $3, key_auth_tag = $4, key_id = $5 WHERE id = $1',
    [id, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId],
  );
}
