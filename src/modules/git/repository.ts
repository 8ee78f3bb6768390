import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { git } from './git-process.ts';

export const DEFAULT_BRANCH = 'main';
/** Branches only maintainers may update by push. */
export const PROTECTED_BRANCHES = [DEFAULT_BRANCH];

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

/** Where a project's bare repository lives: `<home>/repos/<slug>.git`. */
export function repositoryPath(home: string, slug: string): string {
  if (!SLUG.test(slug))
    throw new Error(`Invalid project slug for a repository path: ${JSON.stringify(slug)}`);
  return path.join(home, 'repos', `${slug}.git`);
}

/** Pushes over HTTP allowed, objects checked on receive, reflogs kept, partial clones served. */
const REPOSITORY_SETTINGS = `[http]
\treceivepack = true
[receive]
\tfsckObjects = true
[core]
\tlogAllRefUpdates = true
[uploadpack]
\tallowFilter = true
`;

/**
 * Creates the project's bare repository if it does not exist yet (default branch `main`, pushes
 * over HTTP allowed) and returns its path. Safe to call concurrently: the repository is made in a
 * temporary directory and renamed into place.
 */
export async function ensureRepository(home: string, slug: string): Promise<string> {
  const dir = repositoryPath(home, slug);
  if (existsSync(path.join(dir, 'HEAD'))) return dir;
  await mkdir(path.dirname(dir), { recursive: true });
  const temp = `${dir}.${randomBytes(4).toString('hex')}.init`;
  try {
    await git(['init', '--quiet', '--bare', '--initial-branch', DEFAULT_BRANCH, temp], {
      cwd: path.dirname(dir),
    });
    // One write instead of a `git config` process per setting (a restore makes hundreds of these).
    await appendFile(path.join(temp, 'config'), REPOSITORY_SETTINGS);
    await rename(temp, dir).catch((error: NodeJS.ErrnoException) => {
      // Another request created it first.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return dir;
}
