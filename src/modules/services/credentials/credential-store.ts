import type { Queryable } from '../../../platform/db/pool.ts';
import type { KeyCount, SealedValue } from '../../secrets/index.ts';

type Sealed = SealedValue['sealed'];

/** SQL of `service_credentials`: an environment's login for one service, its secret sealed. */

export interface CredentialRow {
  id: string;
  environment_id: string;
  project_id: string;
  service_id: string;
  username: string;
  secret_hash: Buffer;
  secret_ciphertext: Buffer;
  secret_iv: Buffer;
  secret_auth_tag: Buffer;
  secret_key_id: string;
}

/** AAD of a credential's secret: it opens only for the row it was sealed for. */
export const credentialAad = (id: string) => `service-credential/${id}`;

export const sealedSecret = (row: CredentialRow): Sealed => ({
  ciphertext: row.secret_ciphertext,
  iv: row.secret_iv,
  authTag: row.secret_auth_tag,
  keyId: row.secret_key_id,
});

/** Inserts the environment's credential for the service unless it has one (a concurrent start won). */
export async function insertCredential(
  db: Queryable,
  c: {
    id: string;
    environmentId: string;
    projectId: string;
    serviceId: string;
    username: string;
    hash: Buffer;
    sealed: Sealed;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO service_credentials (id, environment_id, project_id, service_id, username, secret_hash,
       secret_ciphertext, secret_iv, secret_auth_tag, secret_key_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (environment_id, service_id) DO NOTHING`,
    [
      c.id,
      c.environmentId,
      c.projectId,
      c.serviceId,
      c.username,
      c.hash,
      c.sealed.ciphertext,
      c.sealed.iv,
      c.sealed.authTag,
      c.sealed.keyId,
    ],
  );
}

export async function findCredential(
  db: Queryable,
  environmentId: string,
  serviceId: string,
): Promise<CredentialRow | undefined> {
  const { rows } = await db.query<CredentialRow>(
    'SELECT * FROM service_credentials WHERE environment_id = $1 AND service_id = $2',
    [environmentId, serviceId],
  );
  return rows[0];
}

export async function findCredentialByUsername(
  db: Queryable,
  username: string,
): Promise<CredentialRow | undefined> {
  const { rows } = await db.query<CredentialRow>('SELECT * FROM service_credentials WHERE username = $1', [
    username,
  ]);
  return rows[0];
}

/** Detaching a service ends every environment's login for it. */
export async function deleteCredentials(
  db: Queryable,
  projectId: string,
  serviceId: string,
): Promise<number> {
  const { rowCount } = await db.query(
    'DELETE FROM service_credentials WHERE project_id = $1 AND service_id = $2',
    [projectId, serviceId],
  );
  return rowCount ?? 0;
}

export async function countCredentialsByKey(db: Queryable): Promise<KeyCount[]> {
  const { rows } = await db.query<KeyCount>(
    `SELECT secret_key_id AS "keyId", count(*)::int AS count FROM service_credentials
     GROUP BY secret_key_id ORDER BY secret_key_id`,
  );
  return rows;
}

export async function lockCredentialsNotUnder(
  tx: Queryable,
  q: { notKeyId: string; after: string | null; limit: number },
): Promise<CredentialRow[]> {
  const { rows } = await tx.query<CredentialRow>(
    `SELECT * FROM service_credentials WHERE secret_key_id <> $1 AND ($2::uuid IS NULL OR id > $2::uuid)
     ORDER BY id LIMIT $3 FOR UPDATE`,
    [q.notKeyId, q.after, q.limit],
  );
  return rows;
}

export async function replaceCredentialSeal(tx: Queryable, id: string, sealed: Sealed): Promise<void> {
  await tx.query(
    `UPDATE service_credentials SET secret_ciphertext = $2, secret_iv = $3, secret_auth_tag = $4,
       secret_key_id = $5 WHERE id = $1`,
    [id, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId],
  );
}
