import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { withDatabase } from '../../platform/db/pool.ts';
import type { KeyRing } from '../secrets/index.ts';
import { BackupArchiveError } from './archive-error.ts';
import { restoreBackup } from './restore-backup.ts';

export interface VerifyReport {
  tables: number;
  rows: number;
  repositories: number;
  refs: number;
  seconds: number;
}

/**
 * Restores an archive into a scratch database (made and dropped here, through `adminUrl`: a role
 * that may create databases) and a scratch folder, then counts every table's rows there against
 * the manifest; the restore itself checked each repository's refs against it and authenticated
 * every byte of the archive.
 */
export async function verifyBackup(
  archive: string,
  options: { ring: KeyRing; adminUrl: string; onProgress?: (message: string) => void },
): Promise<VerifyReport> {
  const started = performance.now();
  const name = `orchard_verify_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: options.adminUrl });
  await admin.connect();
  const scratchHome = await mkdtemp(path.join(os.tmpdir(), 'orchard-verify-'));
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
      if (error.code === '42501')
        throw new BackupArchiveError(
          'Verifying a backup restores it into a scratch database, and this role may not create one: give a role that may (backup.verifyDatabaseUrl, or --verify-database-url), or skip with --no-verify.',
        );
      throw error;
    });
    const url = withDatabase(options.adminUrl, name);
    try {
      const restored = await restoreBackup(archive, {
        home: scratchHome,
        databaseUrl: url,
        ring: options.ring,
        writeFiles: false,
        upgrade: false,
        onProgress: options.onProgress,
      });
      const scratch = new pg.Client({ connectionString: url });
      await scratch.connect();
      let rows = 0;
      try {
        for (const table of restored.manifest.database.tables) {
          if (table.name === 'schema_migrations') continue;
          const { rows: found } = await scratch.query<{ n: string }>(
            `SELECT count(*)::text AS n FROM ${pg.escapeIdentifier(table.name)}`,
          );
          const count = Number(found[0]!.n);
          if (count !== table.rows)
            throw new BackupArchiveError(
              `Verification failed: table ${table.name} has ${count} rows after the restore, the archive says ${table.rows}.`,
            );
          rows += count;
        }
      } finally {
        await scratch.end();
      }
      return {
        tables: restored.manifest.database.tables.length,
        rows,
        repositories: restored.manifest.repositories.length,
        refs: restored.manifest.repositories.reduce((n, r) => n + Object.keys(r.refs).length, 0),
        seconds: (performance.now() - started) / 1000,
      };
    } finally {
      await admin
        .query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)
        .catch(() => undefined);
    }
  } finally {
    await admin.end().catch(() => undefined);
    await rm(scratchHome, { recursive: true, force: true });
  }
}
