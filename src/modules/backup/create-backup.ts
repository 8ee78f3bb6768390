import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { MasterKey } from '../secrets/index.ts';
import { type AppDatabaseInfo, type AppDatabaseSource, dumpAppDatabase } from './app-databases.ts';
import { encryptArchive } from './archive-crypto.ts';
import { EntryWriter } from './archive-entries.ts';
import { type BackupManifest, redactConfig } from './backup-manifest.ts';
import { dumpDatabase } from './dump-database.ts';
import { writeHomeFiles } from './home-files.ts';
import { bundleRepositories } from './repository-bundles.ts';

export interface BackupSource {
  home: string;
  databaseUrl: string;
  /** The key the archive is sealed under (the current master key). */
  masterKey: MasterKey;
  orchardVersion: string;
  /** The configuration in force (kept redacted in the manifest). */
  config: unknown;
  /** The key ids the database's sealed values use (see masterKeyStatus). */
  sealedKeyIds: string[];
  /** The deployed apps' own databases, each with an admin URL naming it. */
  appDatabases?: () => Promise<AppDatabaseSource[]>;
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
  seconds: number;
}

export type BackupProgress = (message: string) => void;

/** `orchard-backup-20261206T031500Z.orchard`: names sort by time. */
export const backupFileName = (at: Date) =>
  `orchard-backup-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.orchard`;
export const BACKUP_FILE = /^orchard-backup-\d{8}T\d{6}Z\.orchard$/;

/**
 * Writes one archive of the home: the database (one snapshot), every repository (a bundle each),
 * the kept folders' files, and a manifest — gzip'd and sealed in chunks under the master key. The
 * file appears under its name only when complete (written as `.partial`, then renamed).
 */
export async function createBackup(
  source: BackupSource,
  options: { dir: string; now?: Date; onProgress?: BackupProgress },
): Promise<BackupResult> {
  const started = performance.now();
  const createdAt = options.now ?? new Date();
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const file = path.join(options.dir, backupFileName(createdAt));
  const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
  const writer = new EntryWriter();
  const written = pipeline(
    writer.output,
    createGzip({ level: 6 }),
    encryptArchive(source.masterKey, {
      createdAt: createdAt.toISOString(),
      orchardVersion: source.orchardVersion,
    }),
    createWriteStream(partial, { mode: 0o600 }),
  );
  const progress = options.onProgress ?? (() => undefined);
  const produce = async (): Promise<BackupManifest> => {
    const database = await dumpDatabase({ connectionString: source.databaseUrl }, writer, (name, rows) => {
      if (rows) progress(`table ${name}: ${rows} rows`);
    });
    progress(`database: ${database.tables.length} tables`);
    const repositories = await bundleRepositories(source.home, writer);
    progress(`repositories: ${repositories.length}`);
    const files = await writeHomeFiles(source.home, writer);
    progress(`files: ${files.files} (${files.bytes} bytes)`);
    const appDatabases: AppDatabaseInfo[] = [];
    for (const app of (await source.appDatabases?.()) ?? []) {
      const info = await dumpAppDatabase(app, writer);
      appDatabases.push(info);
      progress(`app database ${info.name}: ${info.tables.reduce((n, t) => n + t.rows, 0)} rows`);
      if (info.notKept.length) progress(`  not kept (rebuild by hand): ${info.notKept.join(', ')}`);
    }
    const manifest: BackupManifest = {
      createdAt: createdAt.toISOString(),
      home: source.home,
      orchardVersion: source.orchardVersion,
      database: {
        serverVersion: database.serverVersion,
        migrations: database.migrations,
        tables: database.tables,
        sequences: database.sequences,
      },
      repositories,
      files,
      appDatabases,
      sealedKeyIds: source.sealedKeyIds,
      config: redactConfig(source.config),
    };
    await writer.entry({ kind: 'manifest', name: 'manifest' }, Buffer.from(JSON.stringify(manifest)));
    writer.end();
    return manifest;
  };
  try {
    const [manifest] = await Promise.all([
      produce().catch((error) => {
        writer.output.destroy(error as Error);
        throw error;
      }),
      written,
    ]);
    await rename(partial, file);
    return { file, bytes: (await stat(file)).size, manifest, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
