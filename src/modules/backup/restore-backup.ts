import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { migrate, readMigrations } from '../../platform/db/migrate.ts';
import { createPool, type Queryable } from '../../platform/db/pool.ts';
import type { KeyRing, MasterKey } from '../secrets/index.ts';
import { AppDatabaseLoad, countCopyRows, dropAppDatabase } from './app-databases.ts';
import { type ArchiveHeader, decryptArchive, parseArchiveHeader } from './archive-crypto.ts';
import { type ArchiveEntry, type EntryInfo, readEntries } from './archive-entries.ts';
import { BackupArchiveError } from './archive-error.ts';
import type { BackupManifest } from './backup-manifest.ts';
import { HOME_FOLDERS, HomeFilesRestore, type Owner } from './home-files.ts';
import { REPOSITORY_CONCURRENCY, restoreRepository, settleRepository } from './repository-bundles.ts';
import { DatabaseLoad } from './restore-database.ts';

export interface RestoreTarget {
  /** Where repositories and files go: a home without them yet. */
  home: string;
  /** An empty database (no rows; not migrated past the archive). */
  databaseUrl: string;
  ring: KeyRing;
  /** False: files are read (and so checked) but not written — a verification. */
  writeFiles?: boolean;
  /** Run the migrations newer than the archive's after the restore (default true). */
  upgrade?: boolean;
  onProgress?: (message: string) => void;
  /**
   * Told, inside the restore's transaction, when the archive's home was another folder: rows that
   * record absolute paths under it (releases) are moved to the new home.
   */
  onHomeMoved?: HomeMovedListener[];
  /**
   * A role that may create roles and databases on the server the apps' databases go on; without
   * it, the archive's app databases are left out (and named in the result).
   */
  appDatabaseAdminUrl?: string;
}

export type HomeMovedListener = (tx: Queryable, from: string, to: string) => Promise<unknown>;

export interface RestoreResult {
  manifest: BackupManifest;
  header: ArchiveHeader;
  /** Migrations applied after the archive's (its Orchard was older). */
  upgraded: string[];
  /** Keys the archive's sealed values need that this Orchard does not hold. */
  missingKeyIds: string[];
  /** App databases in the archive that were not rebuilt (no server for them was given). */
  skippedAppDatabases: string[];
  seconds: number;
}

/** The master key an archive names, or an error saying which one is needed and how to give it. */
export function archiveKeyFinder(ring: KeyRing) {
  return (id: string): MasterKey => {
    const key = ring.find(id);
    if (key) return key;
    throw new BackupArchiveError(
      `The archive is sealed with master key ${id}; this Orchard holds ${ring
        .all()
        .map((k) => k.id)
        .join(', ')}. Give that key: ORCHARD_MASTER_KEY, or --master-key-file with a fresh home.`,
    );
  };
}

/** Reads only an archive's header (which key, when, which Orchard), checking nothing else. */
export async function readArchiveHeader(archive: string): Promise<ArchiveHeader> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(archive, { end: 64 * 1024 + 64 })) chunks.push(chunk as Buffer);
  const parsed = parseArchiveHeader(Buffer.concat(chunks));
  if (!parsed) throw new BackupArchiveError('The archive is truncated inside its header.');
  return parsed.header;
}

const owner = (info: EntryInfo): Owner => ({
  mode: Number(info.mode ?? 0o644),
  uid: Number(info.uid),
  gid: Number(info.gid),
});

/** Refuses a home that already holds repositories or kept folders with anything in them. */
export async function assertFreshHome(home: string) {
  for (const folder of ['repos', ...HOME_FOLDERS]) {
    const entries = await readdir(path.join(home, folder)).catch(() => []);
    if (entries.length)
      throw new BackupArchiveError(
        `The home ${home} already holds ${folder}/ (${entries.length} entries): restore into a fresh home.`,
      );
  }
}

/** Migrates an empty database to the archive's migrations, refusing one migrated past them. */
async function prepareDatabase(databaseUrl: string, migrations: string[]) {
  const known = await readMigrations();
  const knownNames = new Set(known.map((m) => m.name));
  const unknown = migrations.filter((name) => !knownNames.has(name));
  if (unknown.length)
    throw new BackupArchiveError(
      `The archive was made by a newer Orchard (its database has migration ${unknown[0]}, which this Orchard does not know): restore it with that Orchard or a newer one.`,
    );
  const pool = createPool(databaseUrl, { max: 1, applicationName: 'orchard-restore' });
  try {
    const exists = await pool.query(`SELECT to_regclass('schema_migrations') IS NOT NULL AS ok`);
    if (exists.rows[0]?.ok) {
      const { rows } = await pool.query<{ name: string }>('SELECT name FROM schema_migrations');
      const wanted = new Set(migrations);
      const beyond = rows.map((r) => r.name).filter((name) => !wanted.has(name));
      if (beyond.length)
        throw new BackupArchiveError(
          `The database is already migrated past the archive (${beyond.sort()[0]}): restore into an empty database or a fresh home, then let Orchard migrate it.`,
        );
    }
    await migrate(
      pool,
      known.filter((m) => migrations.includes(m.name)),
    );
  } finally {
    await pool.end();
  }
}

/**
 * Restores an archive into an empty database and a fresh home. Nothing shows before everything was
 * read and checked: rows go in one transaction committed after the manifest (the archive's last
 * entry) matched, and repositories and files are made in a staging folder moved into the home after
 * that. Every chunk of the archive is authenticated, so a damaged or cut file fails before the commit.
 */
export async function restoreBackup(archive: string, target: RestoreTarget): Promise<RestoreResult> {
  const started = performance.now();
  const progress = target.onProgress ?? (() => undefined);
  const writeFiles = target.writeFiles ?? true;
  if (writeFiles) await assertFreshHome(target.home);
  const staging = path.join(target.home, `.restore-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { recursive: true, mode: 0o700 });
  const files = new HomeFilesRestore(staging);
  const repositories = new Map<string, string>();
  let header: ArchiveHeader | undefined;
  let manifest: BackupManifest | undefined;
  let load: DatabaseLoad | undefined;
  let migrations: string[] | undefined;
  const fetching: Array<Promise<void>> = [];
  // The apps' own databases: rebuilt (or, verifying, only counted) as their entries come.
  const appAdmin = writeFiles ? target.appDatabaseAdminUrl : undefined;
  const appCreated: string[] = [];
  const appRows = new Map<string, number>();
  const skippedAppDatabases: string[] = [];
  let appLoad: AppDatabaseLoad | undefined;

  const handle = async (entry: ArchiveEntry) => {
    const { info } = entry;
    if (manifest) throw new BackupArchiveError('The archive has entries after its manifest.');
    switch (info.kind) {
      case 'database':
        migrations = info.migrations as string[];
        await prepareDatabase(target.databaseUrl, migrations);
        load = await DatabaseLoad.begin({ connectionString: target.databaseUrl });
        return;
      case 'table': {
        if (!load) throw new BackupArchiveError('The archive has a table before its database entry.');
        if (info.name === 'schema_migrations') return;
        const rows = await load.table(info.name, info.columns as string[], entry.body());
        if (rows) progress(`table ${info.name}: ${rows} rows`);
        return;
      }
      case 'repository': {
        const { repo, fetched } = await restoreRepository(
          staging,
          info.name,
          info.empty ? undefined : entry.body(),
        );
        repositories.set(info.name, repo);
        fetching.push(fetched);
        fetched.catch(() => undefined); // awaited below
        // At most a few fetches run while the next entries are read.
        if (fetching.length >= REPOSITORY_CONCURRENCY) await fetching.shift();
        return;
      }
      case 'dir':
        if (writeFiles) await files.dir(info.name, owner(info));
        return;
      case 'file':
        if (writeFiles) await files.file(info.name, owner(info), entry.body());
        return;
      case 'symlink':
        if (writeFiles) await files.symlink(info.name, String(info.target), owner(info));
        return;
      case 'app-database':
        if (!appAdmin) {
          if (writeFiles) skippedAppDatabases.push(info.name);
          return;
        }
        appLoad = await AppDatabaseLoad.begin(appAdmin, {
          name: info.name,
          owner: String(info.owner),
          statements: info.statements as string[],
        });
        appCreated.push(info.name);
        return;
      case 'app-table': {
        const key = `${String(info.database)}/${info.name}`;
        const rows =
          appLoad && appLoad.name === info.database
            ? await appLoad.table(info.name, info.columns as string[], entry.body())
            : await countCopyRows(entry.body());
        appRows.set(key, rows);
        return;
      }
      case 'app-database-end':
        if (appLoad && appLoad.name === info.name) {
          await appLoad.finish(info.statements as string[]);
          progress(`app database ${info.name} rebuilt`);
        }
        appLoad = undefined;
        return;
      case 'manifest': {
        const chunks: Buffer[] = [];
        for await (const chunk of entry.body()) chunks.push(chunk as Buffer);
        manifest = JSON.parse(Buffer.concat(chunks).toString('utf8')) as BackupManifest;
        return;
      }
      default:
        throw new BackupArchiveError(
          `The archive holds an entry of unknown kind ${JSON.stringify(info.kind)}.`,
        );
    }
  };

  try {
    await pipeline(
      createReadStream(archive),
      decryptArchive(archiveKeyFinder(target.ring), (h) => {
        header = h;
      }),
      createGunzip(),
      async (source: AsyncIterable<Buffer>) => {
        for await (const entry of readEntries(source)) await handle(entry);
      },
    ).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'Z_DATA_ERROR' || error.code === 'Z_BUF_ERROR')
        throw new BackupArchiveError(`The archive's contents are damaged: ${error.message}.`);
      throw error;
    });
    for (const fetched of fetching.splice(0)) await fetched;
    if (!manifest || !load || !header)
      throw new BackupArchiveError('The archive ends before its manifest: it is incomplete.');
    if (JSON.stringify(manifest.database.migrations) !== JSON.stringify(migrations))
      throw new BackupArchiveError("The archive's manifest does not match its database entry.");
    await load.finish(manifest.database.tables, manifest.database.sequences);
    for (const app of manifest.appDatabases ?? [])
      for (const table of app.tables)
        if (appRows.get(`${app.name}/${table.name}`) !== table.rows)
          throw new BackupArchiveError(
            `The archive's app database ${app.name} gave ${appRows.get(`${app.name}/${table.name}`) ?? 'no'} rows for ${table.name} where its manifest says ${table.rows}.`,
          );
    const listed = [...manifest.repositories];
    const settle = async () => {
      for (let repo = listed.shift(); repo; repo = listed.shift()) {
        const dir = repositories.get(repo.slug);
        if (!dir)
          throw new BackupArchiveError(`The archive lists repository ${repo.slug} but does not hold it.`);
        await settleRepository(dir, repo);
      }
    };
    await Promise.all(Array.from({ length: REPOSITORY_CONCURRENCY }, settle));
    progress(`repositories: ${repositories.size}, refs as listed`);
    const from = manifest.home;
    if (from && path.resolve(from) !== path.resolve(target.home))
      for (const listener of target.onHomeMoved ?? [])
        await load.inTransaction((tx) => listener(tx, path.resolve(from), path.resolve(target.home)));
    await load.commit();
    load = undefined;
    if (writeFiles)
      for (const folder of ['repos', ...HOME_FOLDERS]) {
        const from = path.join(staging, folder);
        const entries = await readdir(from).catch(() => undefined);
        if (!entries) continue;
        await rm(path.join(target.home, folder), { recursive: true, force: true });
        await rename(from, path.join(target.home, folder));
      }
  } catch (error) {
    await Promise.allSettled(fetching);
    await load?.abort();
    if (appAdmin) for (const name of appCreated) await dropAppDatabase(appAdmin, name);
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  let upgraded: string[] = [];
  if (target.upgrade ?? true) {
    const pool = createPool(target.databaseUrl, { max: 1, applicationName: 'orchard-restore' });
    try {
      upgraded = await migrate(pool);
    } finally {
      await pool.end();
    }
  }
  return {
    manifest,
    header,
    upgraded,
    missingKeyIds: manifest.sealedKeyIds.filter((id) => !target.ring.find(id)),
    skippedAppDatabases,
    seconds: (performance.now() - started) / 1000,
  };
}
