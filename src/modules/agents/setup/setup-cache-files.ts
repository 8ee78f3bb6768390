/**
 * The setup cache on disk: `<home>/cache/agent-setup/<project>/<scope>-<key>.tar`, one archive of
 * what a successful setup made per key and scope, the newest few kept per project.
 *
 * Scopes keep unreviewed code from poisoning everyone's cache (as CI caches are kept per
 * branch): a setup that ran on a commit of a protected branch writes the project's `shared`
 * scope; one that ran on anything else (an agent's own commits) writes its branch's scope only.
 * A run reads its branch's scope, then the shared one — and a run on protected code only the
 * shared one.
 */
import { createHash, randomUUID } from 'node:crypto';
import { chmod, chown, copyFile, lstat, mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';

/** Archives kept per project (the newest by last use); older ones are deleted. */
export const SETUP_CACHE_KEEP = 5;

export const SHARED_SCOPE = 'shared';

export const setupCacheDir = (home: string, projectSlug: string) =>
  path.join(home, 'cache', 'agent-setup', projectSlug);

/** The scope of a branch: a hash, so any branch name makes a plain file name. */
export const branchScope = (branch: string) =>
  `branch-${createHash('sha256').update(branch).digest('hex').slice(0, 16)}`;

const archiveName = (scope: string, key: string) => `${scope}-${key}.tar`;

/** The archive for `key` in the first of `scopes` that has one. */
export async function findSetupArchive(
  dir: string,
  scopes: string[],
  key: string,
): Promise<string | undefined> {
  for (const scope of scopes) {
    const file = path.join(dir, archiveName(scope, key));
    const info = await lstat(file).catch(() => undefined);
    if (info?.isFile()) return file;
  }
  return undefined;
}

/**
 * Moves an archive the sandbox wrote (`made`, in a directory of the run's own) into the cache
 * under its final name, whole or not at all: renamed in place, or copied to a temporary name
 * beside it first when the two are on different file systems. It is left readable by its owner
 * only (the project's sandbox user, who extracts it).
 */
export async function storeSetupArchive(
  dir: string,
  scope: string,
  key: string,
  made: string,
): Promise<string> {
  const info = await lstat(made);
  if (!info.isFile()) throw new Error('the setup archive is not a regular file');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const target = path.join(dir, archiveName(scope, key));
  await chmod(made, 0o400);
  try {
    await rename(made, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    const temp = path.join(dir, `.${randomUUID()}.tmp`);
    try {
      await copyFile(made, temp);
      // The sandbox's user extracts it: it keeps the owner the archive was made with.
      await chown(temp, info.uid, info.gid);
      await chmod(temp, 0o400);
      await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
  }
  return target;
}

/** Marks an archive as just used, so pruning keeps the ones in use. */
export async function touchSetupArchive(file: string): Promise<void> {
  const now = new Date();
  await utimes(file, now, now).catch(() => undefined);
}

/**
 * Keeps the `keep` archives used last in a project's cache and deletes the rest, with temporary
 * files a crashed copy left (older than an hour). Returns the names deleted.
 */
export async function pruneSetupCache(dir: string, keep = SETUP_CACHE_KEEP): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const dated = await Promise.all(
    names.map(async (name) => ({
      name,
      mtime: (await stat(path.join(dir, name)).catch(() => undefined))?.mtimeMs,
    })),
  );
  const archives = dated
    .filter((f) => f.name.endsWith('.tar') && f.mtime !== undefined)
    .sort((a, b) => b.mtime! - a.mtime!);
  const stale = dated.filter((f) => f.name.endsWith('.tmp') && f.mtime! < Date.now() - 3_600_000);
  const doomed = [...archives.slice(keep), ...stale].map((f) => f.name);
  await Promise.all(doomed.map((name) => rm(path.join(dir, name), { force: true })));
  return doomed;
}
