import { rename } from 'node:fs/promises';
import type { Queryable } from '../../platform/db/pool.ts';
import { SYSTEM_ACTOR } from '../../platform/http/actor.ts';
import { masterKeyStatus, type SealedStore, type Vault } from '../secrets/index.ts';
import type { AppDatabaseSource } from './app-databases.ts';
import { type BackupProgress, type BackupResult, createBackup } from './create-backup.ts';
import { pruneBackups } from './prune-backups.ts';
import { type VerifyReport, verifyBackup } from './verify-backup.ts';

export interface BackUpDeps {
  home: string;
  databaseUrl: string;
  db: Queryable;
  vault: Vault;
  /** Every store of sealed values, to name the keys a restore will need. */
  sealedStores: SealedStore[];
  orchardVersion: string;
  /** The configuration in force (kept redacted in the manifest). */
  config: unknown;
  /** A role that may create the scratch database the archive is verified in. */
  verifyDatabaseUrl: string;
  /** The deployed apps' own databases, each with an admin URL naming it. */
  appDatabases?: () => Promise<AppDatabaseSource[]>;
}

export interface BackUpOptions {
  dir: string;
  keep: number;
  verify: boolean;
  now?: Date;
  onProgress?: BackupProgress;
}

export interface BackUpResult {
  archive: BackupResult;
  verified?: VerifyReport;
  /** Older archives deleted to keep `keep`. */
  pruned: string[];
}

/**
 * One backup: the archive, its verification (restored into a scratch database and compared), then
 * retention. An archive that fails verification is renamed `<name>.failed`, so it neither counts as
 * a backup nor pushes a good one out.
 */
export async function backUp(deps: BackUpDeps, options: BackUpOptions): Promise<BackUpResult> {
  const status = await masterKeyStatus(deps.db, deps.vault, deps.sealedStores, { actor: SYSTEM_ACTOR });
  const archive = await createBackup(
    {
      home: deps.home,
      databaseUrl: deps.databaseUrl,
      masterKey: deps.vault.ring.current(),
      orchardVersion: deps.orchardVersion,
      config: deps.config,
      sealedKeyIds: status.keys.filter((k) => k.total > 0).map((k) => k.id),
      appDatabases: deps.appDatabases,
    },
    { dir: options.dir, now: options.now, onProgress: options.onProgress },
  );
  let verified: VerifyReport | undefined;
  if (options.verify) {
    try {
      verified = await verifyBackup(archive.file, {
        ring: deps.vault.ring,
        adminUrl: deps.verifyDatabaseUrl,
      });
    } catch (error) {
      await rename(archive.file, `${archive.file}.failed`).catch(() => undefined);
      throw error;
    }
  }
  const pruned = await pruneBackups(options.dir, options.keep);
  return { archive, verified, pruned };
}
