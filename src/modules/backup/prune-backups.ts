import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { BACKUP_FILE } from './create-backup.ts';

/** Deletes the oldest archives in `dir` beyond the newest `keep` (only files named as Orchard names them). */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((name) => BACKUP_FILE.test(name))
    .sort();
  const old = names.slice(0, Math.max(0, names.length - keep));
  for (const name of old) await rm(path.join(dir, name), { force: true });
  return old;
}
