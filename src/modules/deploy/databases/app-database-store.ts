import type { Queryable } from '../../../platform/db/pool.ts';
import type { KeyCount, SealedValue } from '../../secrets/index.ts';

type Sealed = SealedValue['sealed'];

/** SQL of `app_databases` and `app_database_backups`: apps' databases and their backups. */

export interface AppDatabaseRow {
  id: string;
  environment_id: string;
  project_id: string;
  environment_name: string;
  environment_kind: 'preview' | 'staging' | 'production';
  name: string;
  server: string;
  password_ciphertext: Buffer;
  password_iv: Buffer;
  password_auth_tag: Buffer;
  password_key_id: string;
  status: 'creating' | 'ready' | 'dropped';
  last_error: string | null;
  created_at: Date;
  ready_at: Date | null;
  dropped_at: Date | null;
}

export interface AppDatabaseBackupRow {
  id: string;
  app_database_id: string;
  environment_id: string;
  blob_key: string;
  size: number;
  sha256: string;
  tables: number;
  rows: number;
  before_release_id: string | null;
  created_at: Date;
}

/** AAD of a database's password: it opens only for the row it was sealed for. */
export const appDatabaseAad = (id: string) => `app-database/${id}`;

export const sealedPassword = (row: AppDatabaseRow): Sealed => ({
  ciphertext: row.password_ciphertext,
  iv: row.password_iv,
  authTag: row.password_auth_tag,
  keyId: row.password_key_id,
});

/**
 * Records the environment's database unless it has a live one already (a concurrent start won);
 * answers the live row either way.
 */
export async function insertAppDatabase(
  db: Queryable,
  d: {
    id: string;
    environmentId: string;
    projectId: string;
    environmentName: string;
    environmentKind: string;
    name: string;
    server: string;
    sealed: Sealed;
    now: Date;
  },
): Promise<AppDatabaseRow> {
  await db.query(
    `INSERT INTO app_databases (id, environment_id, project_id, environment_name, environment_kind, name,
       server, password_ciphertext, password_iv, password_auth_tag, password_key_id, status, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'creating', $12)
     ON CONFLICT (environment_id) WHERE status <> 'dropped' DO NOTHING`,
    [
      d.id,
      d.environmentId,
      d.projectId,
      d.environmentName,
      d.environmentKind,
      d.name,
      d.server,
      d.sealed.ciphertext,
      d.sealed.iv,
      d.sealed.authTag,
      d.sealed.keyId,
      d.now,
    ],
  );
  return (await findLiveAppDatabase(db, d.environmentId))!;
}

/** The environment's database that has not been dropped, if any. */
export async function findLiveAppDatabase(
  db: Queryable,
  environmentId: string,
): Promise<AppDatabaseRow | undefined> {
  const { rows } = await db.query<AppDatabaseRow>(
    `SELECT * FROM app_databases WHERE environment_id = $1 AND status <> 'dropped'`,
    [environmentId],
  );
  return rows[0];
}

/** Every database the environment had, newest first (the dropped ones too). */
export async function listAppDatabases(db: Queryable, environmentId: string): Promise<AppDatabaseRow[]> {
  const { rows } = await db.query<AppDatabaseRow>(
    'SELECT * FROM app_databases WHERE environment_id = $1 ORDER BY created_at DESC',
    [environmentId],
  );
  return rows;
}

export async function markAppDatabase(
  db: Queryable,
  id: string,
  change: { status: 'ready' | 'dropped'; now: Date } | { error: string },
): Promise<void> {
  if ('error' in change) {
    await db.query('UPDATE app_databases SET last_error = $2 WHERE id = $1', [id, change.error]);
  } else if (change.status === 'ready') {
    await db.query(
      `UPDATE app_databases SET status = 'ready', last_error = NULL, ready_at = COALESCE(ready_at, $2)
       WHERE id = $1`,
      [id, change.now],
    );
  } else {
    await db.query(
      `UPDATE app_databases SET status = 'dropped', last_error = NULL, dropped_at = $2 WHERE id = $1`,
      [id, change.now],
    );
  }
}

/**
 * Live databases of previews whose environment is gone (removed while the server was away, or a
 * start that made one while its preview was being removed): the sweep drops them.
 */
export async function orphanedPreviewDatabases(db: Queryable): Promise<AppDatabaseRow[]> {
  const { rows } = await db.query<AppDatabaseRow>(
    `SELECT d.* FROM app_databases d
      WHERE d.status <> 'dropped' AND d.environment_kind = 'preview'
        AND NOT EXISTS (SELECT 1 FROM environments e WHERE e.id = d.environment_id)
      ORDER BY d.created_at`,
  );
  return rows;
}

export async function insertAppDatabaseBackup(
  db: Queryable,
  b: {
    id: string;
    appDatabaseId: string;
    environmentId: string;
    blobKey: string;
    size: number;
    sha256: string;
    tables: number;
    rows: number;
    beforeReleaseId: string | null;
    now: Date;
  },
): Promise<AppDatabaseBackupRow> {
  const { rows } = await db.query<AppDatabaseBackupRow>(
    `INSERT INTO app_database_backups (id, app_database_id, environment_id, blob_key, size, sha256, tables,
       rows, before_release_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
    [
      b.id,
      b.appDatabaseId,
      b.environmentId,
      b.blobKey,
      b.size,
      b.sha256,
      b.tables,
      b.rows,
      b.beforeReleaseId,
      b.now,
    ],
  );
  return rows[0]!;
}

/** An environment's backups, newest first. */
export async function listAppDatabaseBackups(
  db: Queryable,
  environmentId: string,
): Promise<AppDatabaseBackupRow[]> {
  const { rows } = await db.query<AppDatabaseBackupRow>(
    'SELECT * FROM app_database_backups WHERE environment_id = $1 ORDER BY created_at DESC, id',
    [environmentId],
  );
  return rows;
}

export async function deleteAppDatabaseBackup(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM app_database_backups WHERE id = $1', [id]);
}

export async function countAppDatabasePasswordsByKey(db: Queryable): Promise<KeyCount[]> {
  const { rows } = await db.query<KeyCount>(
    `SELECT password_key_id AS "keyId", count(*)::int AS count FROM app_databases
     GROUP BY password_key_id ORDER BY password_key_id`,
  );
  return rows;
}

export async function lockAppDatabasesNotUnder(
  tx: Queryable,
  q: { notKeyId: string; after: string | null; limit: number },
): Promise<AppDatabaseRow[]> {
  const { rows } = await tx.query<AppDatabaseRow>(
    `SELECT * FROM app_databases WHERE password_key_id <> $1 AND ($2::uuid IS NULL OR id > $2::uuid)
     ORDER BY id LIMIT $3 FOR UPDATE`,
    [q.notKeyId, q.after, q.limit],
  );
  return rows;
}

export async function replaceAppDatabasePasswordSeal(tx: Queryable, id: string, sealed: Sealed) {
  await tx.query(
    `UPDATE app_databases SET password_ciphertext = $2, password_iv = $3, password_auth_tag = $4,
       password_key_id = $5 WHERE id = $1`,
    [id, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId],
  );
}

/** The names of the apps' databases that exist on `server` now (for a backup of the instance). */
export async function listLiveAppDatabaseNames(db: Queryable, server: string): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT name FROM app_databases WHERE server = $1 AND status = 'ready' ORDER BY name`,
    [server],
  );
  return rows.map((r) => r.name);
}
