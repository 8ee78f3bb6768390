import { NotFoundError } from '../../../platform/errors.ts';
import { runGit } from '../git-process.ts';
import { assertRevision } from '../ref-name.ts';

/** Resolves a branch, tag or sha to a commit sha; 400 for a malformed name, 404 when there is no such commit. */
export async function resolveRevision(repo: string, rev: string, field = 'ref'): Promise<string> {
  assertRevision(rev, field);
  const result = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], {
    cwd: repo,
  });
  const sha = result.stdout.toString().trim();
  if (result.code !== 0 || !sha) throw new NotFoundError(`No commit "${rev}" in this repository.`);
  return sha;
}

/** The sha a branch points at, or undefined when the branch does not exist. */
export async function branchHead(repo: string, branch: string): Promise<string | undefined> {
  const result = await runGit(
    ['rev-parse', '--verify', '--quiet', '--end-of-options', `refs/heads/${branch}^{commit}`],
    { cwd: repo },
  );
  return result.code === 0 ? result.stdout.toString().trim() : undefined;
}
