import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { BACKUP_FILE } from './create-backup.ts';

export interface BackupFile {
  name: string;
  bytes: number;
  createdAt: string;
}

export interface BackupListing {
  dir: string;
  intervalHours: number;
  keep: number;
  verify: boolean;
  /** Newest first. */
  archives: BackupFile[];
  /** Archives that failed their verification (`….orchard.failed`), newest first. */
  failed: BackupFile[];
}

const FAILED = /^(orchard-backup-\d{8}T\d{6}Z\.orchard)\.failed$/;

/** `orchard-backup-20261206T031500Z.orchard` → its time. */
export function backupTime(name: string): Date | undefined {
  const m = /^orchard-backup-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(name);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : undefined;
}

/** The archives in the backup folder (what `orchard restore` takes), with the schedule in force. */
export async function listBackups(options: {
  dir: string;
  intervalHours: number;
  keep: number;
  verify: boolean;
}): Promise<BackupListing> {
  const names = await readdir(options.dir).catch(() => [] as string[]);
  const describe = async (name: string, archive: string): Promise<BackupFile | undefined> => {
    const info = await stat(path.join(options.dir, name)).catch(() => undefined);
    const at = backupTime(archive);
    if (!info?.isFile() || !at) return undefined;
    return { name, bytes: info.size, createdAt: at.toISOString() };
  };
  const newestFirst = (files: Array<BackupFile | undefined>) =>
    files.filter((f): f is BackupFile => Boolean(f)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return {
    ...options,
    archives: newestFirst(
      await Promise.all(names.filter((n) => BACKUP_FILE.test(n)).map((n) => describe(n, n))),
    ),
    failed: newestFirst(
      await Promise.all(
        names
          .map((n) => FAILED.exec(n))
          .filter((m) => m !== null)
          .map((m) => describe(m[0], m[1]!)),
      ),
    ),
  };
}
