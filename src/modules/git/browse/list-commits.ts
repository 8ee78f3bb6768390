import { git } from '../git-process.ts';
import { COMMIT_FORMAT, type CommitInfo, parseCommits } from './read-commit.ts';

/** Up to `limit` commits reachable from `sha` (optionally touching `path`, not from `exclude`), skipping the first `skip`. */
export async function listCommits(
  repo: string,
  q: { sha: string; path?: string; skip: number; limit: number; exclude?: string },
): Promise<CommitInfo[]> {
  const args = [
    'log',
    `--format=${COMMIT_FORMAT}`,
    `--skip=${q.skip}`,
    `-n`,
    String(q.limit),
    '--end-of-options',
    q.sha,
  ];
  if (q.exclude) args.push(`^${q.exclude}`);
  args.push('--');
  if (q.path) args.push(q.path);
  return parseCommits(await git(args, { cwd: repo }));
}
