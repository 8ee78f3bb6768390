import { randomUUID } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DeployDeps } from '../deps.ts';
import type { EnvironmentWithSlug } from '../environment-store.ts';
import { withAdminConnection } from './admin-connection.ts';
import type { AppDatabaseServer } from './app-database-server.ts';
import {
  type AppDatabaseBackupRow,
  type AppDatabaseRow,
  deleteAppDatabaseBackup,
  insertAppDatabaseBackup,
  listAppDatabaseBackups,
} from './app-database-store.ts';

const ident = (name: string) => pg.escapeIdentifier(name);

/** `app-db-backups/<environment id>/<time>.sql.gz`: sorts by time. */
export const backupKey = (environmentId: string, at: Date) =>
  `app-db-backups/${environmentId}/${at.toISOString().replace(/[:.]/g, '-')}.sql.gz`;

/**
 * Backs up an environment's database into the blob store: one gzip'd SQL file that, run with psql
 * against the database as its release made it, puts every row back (TRUNCATE, then each table's
 * COPY, then its sequences), read in one REPEATABLE READ snapshot. Recorded, and only the newest
 * `keepBackups` are kept. PostgreSQL's own pg_dump is not used: the embedded server ships
 * without it, and a machine's pg_dump refuses a newer server.
 */
export async function backUpAppDatabase(
  deps: Pick<DeployDeps, 'db' | 'clock'> & { blobs: NonNullable<DeployDeps['blobs']> },
  server: AppDatabaseServer,
  env: EnvironmentWithSlug,
  row: AppDatabaseRow,
  o: { beforeRelease?: { id: string; sha: string } } = {},
): Promise<AppDatabaseBackupRow> {
  const at = deps.clock.now();
  const key = backupKey(env.id, at);
  const counts = { tables: 0, rows: 0 };
  const stored = await withAdminConnection(
    server.adminUrl,
    { lock: row.name, database: row.name },
    (client) => {
      const gzip = createGzip();
      // A failed read destroys the gzip stream with its error, so the blob is not kept.
      pipeline(
        Readable.from(dumpSql(client, { row, env, at, beforeSha: o.beforeRelease?.sha, counts })),
        gzip,
        () => {},
      );
      return deps.blobs.put(key, gzip);
    },
  );
  const backup = await insertAppDatabaseBackup(deps.db, {
    id: randomUUID(),
    appDatabaseId: row.id,
    environmentId: env.id,
    blobKey: key,
    size: stored.size,
    sha256: stored.sha256,
    tables: counts.tables,
    rows: counts.rows,
    beforeReleaseId: o.beforeRelease?.id ?? null,
    now: at,
  });
  for (const old of (await listAppDatabaseBackups(deps.db, env.id)).slice(server.keepBackups)) {
    await deps.blobs.delete(old.blob_key);
    await deleteAppDatabaseBackup(deps.db, old.id);
  }
  return backup;
}

async function* dumpSql(
  client: pg.Client,
  o: {
    row: AppDatabaseRow;
    env: EnvironmentWithSlug;
    at: Date;
    beforeSha?: string;
    counts: { tables: number; rows: number };
  },
): AsyncGenerator<Buffer | string> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const { rows: tables } = await client.query<{ schema: string; name: string; columns: string[] }>(
    `SELECT n.nspname AS schema, c.relname AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
      GROUP BY n.nspname, c.relname ORDER BY n.nspname, c.relname`,
  );
  const { rows: sequences } = await client.query<{
    name: string;
    last_value: string | null;
    is_called: boolean;
  }>(
    `SELECT format('%I.%I', schemaname, sequencename) AS name, last_value::text, last_value IS NOT NULL AS is_called
       FROM pg_sequences WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
  );
  const qualified = (t: { schema: string; name: string }) => `${ident(t.schema)}.${ident(t.name)}`;
  yield `-- Orchard: a backup of the database ${o.row.name} (${o.env.name} of ${o.env.slug}) at ${o.at.toISOString()}${o.beforeSha ? `, before release ${o.beforeSha.slice(0, 7)} was published` : ''}.
-- ${tables.length} tables. Restore into the database as its release made it (its tables exist):
--   gunzip -c <this file> | psql -v ON_ERROR_STOP=1 "<the database's admin URL>"
-- Tables load in name order; with foreign keys between them, add SET session_replication_role = replica;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
BEGIN;
`;
  if (tables.length) yield `TRUNCATE TABLE ${tables.map(qualified).join(', ')};\n`;
  for (const table of tables) {
    const columns = table.columns.map(ident).join(', ');
    yield `\nCOPY ${qualified(table)} (${columns}) FROM stdin;\n`;
    const stream = client.query(copyTo(`COPY ${qualified(table)} (${columns}) TO STDOUT`));
    for await (const chunk of stream) yield chunk as Buffer;
    yield '\\.\n';
    o.counts.tables++;
    o.counts.rows += stream.rowCount;
  }
  for (const s of sequences) {
    if (s.last_value === null) continue;
    yield `SELECT pg_catalog.setval(${pg.escapeLiteral(s.name)}, ${s.last_value}, ${s.is_called});\n`;
  }
  yield 'COMMIT;\n';
  await client.query('COMMIT');
}
