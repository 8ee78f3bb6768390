import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ConflictError } from '../../platform/errors.ts';
import { git, runGit } from './git-process.ts';
import { addWorktree, removeWorktree } from './worktree.ts';

export interface Mergeability {
  /** The source is already contained in the target: nothing to merge. */
  upToDate: boolean;
  /** The target can simply move forward to the source. */
  fastForward: boolean;
  /** Paths that conflict when merging (empty when the merge is clean). */
  conflicts: string[];
}

export async function isAncestor(repo: string, ancestor: string, descendant: string): Promise<boolean> {
  const result = await runGit(['merge-base', '--is-ancestor', '--end-of-options', ancestor, descendant], {
    cwd: repo,
  });
  return result.code === 0;
}

/**
 * Whether `source` merges cleanly into `target`, computed with `git merge-tree --write-tree`
 * (git ≥ 2.38): a real three-way merge in the object database, no worktree needed.
 */
export async function checkMergeability(
  repo: string,
  targetSha: string,
  sourceSha: string,
): Promise<Mergeability> {
  if (await isAncestor(repo, sourceSha, targetSha))
    return { upToDate: true, fastForward: false, conflicts: [] };
  if (await isAncestor(repo, targetSha, sourceSha))
    return { upToDate: false, fastForward: true, conflicts: [] };
  const result = await runGit(
    ['merge-tree', '--write-tree', '-z', '--name-only', '--no-messages', targetSha, sourceSha],
    { cwd: repo },
  );
  if (result.code === 0) return { upToDate: false, fastForward: false, conflicts: [] };
  if (result.code !== 1) throw new Error(`git merge-tree failed: ${result.stderr.trim()}`);
  // Output: <tree>\0<path>\0<path>\0…\0 (a conflicted path may repeat, once per stage).
  const [, ...paths] = result.stdout.toString('utf8').split('\0');
  return { upToDate: false, fastForward: false, conflicts: [...new Set(paths.filter(Boolean))] };
}

export interface MergeIdentity {
  name: string;
  email: string;
}

/**
 * Creates a merge commit of `sourceSha` into `targetSha` in a temporary worktree and returns its
 * sha (refs are not touched). A conflict throws 409 with the conflicting paths.
 */
export async function createMergeCommit(
  repo: string,
  workRoot: string,
  input: { targetSha: string; sourceSha: string; message: string; identity: MergeIdentity },
): Promise<string> {
  const dir = path.join(workRoot, `merge-${randomBytes(6).toString('hex')}`);
  await addWorktree(repo, dir, input.targetSha);
  try {
    const env = {
      GIT_AUTHOR_NAME: input.identity.name,
      GIT_AUTHOR_EMAIL: input.identity.email,
      GIT_COMMITTER_NAME: input.identity.name,
      GIT_COMMITTER_EMAIL: input.identity.email,
    };
    const result = await runGit(
      ['merge', '--no-ff', '--no-edit', '-m', input.message, '--end-of-options', input.sourceSha],
      { cwd: dir, env },
    );
    if (result.code !== 0) {
      const unmerged = await git(['diff', '--name-only', '-z', '--diff-filter=U'], { cwd: dir });
      const conflicts = unmerged.split('\0').filter(Boolean);
      if (conflicts.length)
        throw new ConflictError(
          `The merge conflicts in ${conflicts.length} file(s): ${conflicts.join(', ')}.`,
          { conflicts },
        );
      throw new Error(`git merge failed: ${result.stderr.trim()}`);
    }
    return (await git(['rev-parse', 'HEAD'], { cwd: dir })).trim();
  } finally {
    await removeWorktree(repo, dir);
  }
}

/** Moves `ref` to `newSha` only if it still points at `oldSha` (a compare-and-swap). */
export async function updateRef(repo: string, ref: string, newSha: string, oldSha: string): Promise<boolean> {
  const result = await runGit(
    ['update-ref', '-m', 'orchard merge', '--end-of-options', ref, newSha, oldSha],
    { cwd: repo },
  );
  return result.code === 0;
}
