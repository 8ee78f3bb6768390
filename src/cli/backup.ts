import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { appDatabaseSources, openDatabase, sealedStores } from '../app.ts';
import { backupDir } from '../config.ts';
import { backUp } from '../modules/backup/index.ts';
import { appDatabaseServer } from '../modules/deploy/index.ts';
import { openKeyRing, Vault } from '../modules/secrets/index.ts';
import { createPool } from '../platform/db/pool.ts';
import { createLogger } from '../platform/log.ts';
import { orchardVersion } from '../platform/orchard-version.ts';
import { configFor } from './load-config.ts';
import { parseInput } from './parse-input.ts';

const BackupFlags = z.object({
  to: z.string().min(1).optional(),
  keep: z.coerce.number().int().min(1).max(10_000).optional(),
  verify: z.boolean().default(true),
  verifyDatabaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  quiet: z.boolean().default(false),
  home: z.string().optional(),
});

export function registerBackup(program: Command) {
  program
    .command('backup')
    .description(
      'write one encrypted archive of this Orchard (database, repositories, files), verified by a restore',
    )
    .option('--to <dir>', 'where the archive goes (default backup.dir: <home>/backups)')
    .option('--keep <n>', 'archives kept in that folder, the oldest deleted (default backup.keep: 7)')
    .option('--no-verify', 'skip restoring the archive into a scratch database to check it')
    .option(
      '--verify-database-url <url>',
      'a role that may create the scratch database (default: backup.verifyDatabaseUrl)',
    )
    .option('--quiet', 'print only the archive path')
    .option('--home <dir>', 'data directory (ORCHARD_HOME)')
    .action(async (opts: Record<string, unknown>, command: Command) => {
      const input = parseInput(BackupFlags, opts);
      const config = configFor(command, { home: input.home });
      const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
      const say = (line: string) => void (input.quiet || process.stderr.write(`${line}\n`));
      const database = await openDatabase(config, logger);
      const vault = new Vault(await openKeyRing(config));
      const db = createPool(database.url, {
        max: 2,
        applicationName: 'orchard-backup',
        timeouts: config.database,
      });
      try {
        const result = await backUp(
          {
            home: config.home,
            databaseUrl: database.url,
            db,
            vault,
            sealedStores,
            orchardVersion: orchardVersion(),
            config,
            verifyDatabaseUrl:
              input.verifyDatabaseUrl ?? config.backup.verifyDatabaseUrl ?? database.adminUrl ?? database.url,
            appDatabases: appDatabaseSources(db, appDatabaseServer(config, database.adminUrl)),
          },
          {
            dir: input.to ? path.resolve(input.to) : backupDir(config),
            keep: input.keep ?? config.backup.keep,
            verify: input.verify && config.backup.verify,
            onProgress: say,
          },
        );
        const { archive, verified, pruned } = result;
        const m = archive.manifest;
        const rows = m.database.tables.reduce((n, t) => (t.name === 'schema_migrations' ? n : n + t.rows), 0);
        say(
          `Wrote ${archive.file} (${mib(archive.bytes)}) in ${archive.seconds.toFixed(1)} s: ${m.database.tables.length} tables, ${rows} rows, ${m.repositories.length} repositories, ${m.files.files} files, ${m.appDatabases?.length ?? 0} app databases.`,
        );
        say(
          verified
            ? `Verified in ${verified.seconds.toFixed(1)} s: restored into a scratch database, ${verified.rows} rows and ${verified.refs} refs as in the archive.`
            : 'Not verified (--no-verify).',
        );
        if (pruned.length) say(`Deleted ${pruned.length} older archives: ${pruned.join(', ')}.`);
        const key = vault.ring.current().id;
        const others = m.sealedKeyIds.filter((id) => id !== key);
        say(
          `Sealed under master key ${key}${others.length ? ` (its secrets also need ${others.join(', ')}: finish the key rotation to need one key)` : ''}. Keep the key apart from the archive: a restore needs it, and the archive holds no key.`,
        );
        if (input.quiet) process.stdout.write(`${archive.file}\n`);
      } finally {
        await db.end();
        await database.stop();
      }
    });
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
