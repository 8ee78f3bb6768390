import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { homeMovedListeners, openDatabase } from '../app.ts';
import { assertFreshHome, readArchiveHeader, restoreBackup, verifyBackup } from '../modules/backup/index.ts';
import { appDatabaseServer } from '../modules/deploy/index.ts';
import {
  decodeMasterKey,
  fixedKeyRing,
  installMasterKeyFile,
  type KeyRing,
  masterKeyFile,
  openKeyRing,
} from '../modules/secrets/index.ts';
import { createLogger } from '../platform/log.ts';
import { configFor } from './load-config.ts';
import { parseInput } from './parse-input.ts';
import { CliError } from './run.ts';

const RestoreFlags = z.object({
  masterKeyFile: z.string().min(1).optional(),
  check: z.boolean().default(false),
  verifyDatabaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  home: z.string().optional(),
});

export function registerRestore(program: Command) {
  program
    .command('restore <archive>')
    .description('restore an archive of `orchard backup` into a fresh home or an empty database')
    .option(
      '--master-key-file <file>',
      'the master key the archive was sealed under (a fresh home gets it as master.key)',
    )
    .option(
      '--check',
      'only check the archive: restore it into a scratch database and compare, change nothing',
    )
    .option('--verify-database-url <url>', 'with --check: a role that may create the scratch database')
    .option('--home <dir>', 'data directory (ORCHARD_HOME)')
    .action(async (archiveArg: string, opts: Record<string, unknown>, command: Command) => {
      const input = parseInput(RestoreFlags, opts);
      const archive = path.resolve(archiveArg);
      if (!existsSync(archive)) throw new CliError(`No archive at ${archive}.`);
      const config = configFor(command, { home: input.home });
      const header = await readArchiveHeader(archive);
      process.stderr.write(
        `Archive of ${header.createdAt} by Orchard ${header.orchardVersion}, sealed under master key ${header.keyId}.\n`,
      );
      const ring = await keyRingFor(config, input.masterKeyFile, header.keyId, input.check);
      const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
      if (!input.check) await assertFreshHome(config.home);
      const database = await openDatabase(config, logger);
      try {
        if (input.check) {
          const report = await verifyBackup(archive, {
            ring,
            adminUrl:
              input.verifyDatabaseUrl ?? config.backup.verifyDatabaseUrl ?? database.adminUrl ?? database.url,
          });
          process.stdout.write(
            `The archive is sound: restored into a scratch database in ${report.seconds.toFixed(1)} s, ${report.tables} tables and ${report.rows} rows, ${report.repositories} repositories and ${report.refs} refs as it lists.\n`,
          );
          return;
        }
        const result = await restoreBackup(archive, {
          home: config.home,
          databaseUrl: database.url,
          ring,
          onHomeMoved: homeMovedListeners,
          appDatabaseAdminUrl: appDatabaseServer(config, database.adminUrl)?.adminUrl,
          onProgress: (line) => void process.stderr.write(`${line}\n`),
        });
        const m = result.manifest;
        const rows = m.database.tables.reduce((n, t) => (t.name === 'schema_migrations' ? n : n + t.rows), 0);
        const lines = [
          `Restored ${m.database.tables.length} tables (${rows} rows), ${m.repositories.length} repositories and ${m.files.files} files into ${config.home} in ${result.seconds.toFixed(1)} s.`,
        ];
        if (result.upgraded.length)
          lines.push(
            `Then applied ${result.upgraded.length} newer migrations: ${result.upgraded.join(', ')}.`,
          );
        if (m.appDatabases?.length)
          lines.push(
            `Rebuilt ${m.appDatabases.length - result.skippedAppDatabases.length} of the apps' ${m.appDatabases.length} databases.`,
          );
        if (result.skippedAppDatabases.length)
          lines.push(
            `Warning: the apps' databases ${result.skippedAppDatabases.join(', ')} were not rebuilt: no server for them is configured (appDatabases.serverUrl). Set it and restore again into a fresh database, or restore their publish-time backups by hand.`,
          );
        if (result.missingKeyIds.length)
          lines.push(
            `Warning: some stored secrets are sealed under master keys this Orchard lacks (${result.missingKeyIds.join(', ')}); give them in ORCHARD_OTHER_MASTER_KEYS or <home>/master-keys/<id>.key.`,
          );
        lines.push(
          'The configuration in force when the archive was made is in its manifest, secrets redacted; set this server up the same way (publicUrl, LLM providers, SMTP) before starting it.',
        );
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await database.stop();
      }
    });
}

/**
 * The keys to open the archive with. A fresh home gets `--master-key-file` as its master.key;
 * without it, the home's own key or ORCHARD_MASTER_KEY must be the archive's (a new home would
 * otherwise make a new key, which opens nothing).
 */
async function keyRingFor(
  config: { home: string; masterKey?: string; otherMasterKeys: string[] },
  keyFile: string | undefined,
  keyId: string,
  check: boolean,
): Promise<KeyRing> {
  if (keyFile) {
    const text = await readFile(path.resolve(keyFile), 'utf8').catch((error: Error) => {
      throw new CliError(`Cannot read --master-key-file: ${error.message}`);
    });
    if (check) return fixedKeyRing(decodeMasterKey(text, keyFile));
    await installMasterKeyFile(config.home, text, keyFile);
  } else if (!config.masterKey && !existsSync(masterKeyFile(config.home)))
    throw new CliError(
      `${config.home} has no master key: give the key the archive was sealed under (${keyId}) with --master-key-file <file> or ORCHARD_MASTER_KEY.`,
    );
  const ring = await openKeyRing(config);
  if (!ring.find(keyId))
    throw new CliError(
      `The archive is sealed under master key ${keyId}, which this Orchard does not hold (it holds ${ring
        .all()
        .map((k) => k.id)
        .join(', ')}): give that key with --master-key-file or ORCHARD_MASTER_KEY.`,
    );
  return ring;
}
