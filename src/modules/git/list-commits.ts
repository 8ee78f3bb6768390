import { git } from './git-process.ts';
import { COMMIT_FORMAT, type CommitInfo, parseCommits } from './read-commit.ts';

/** `limit` commits reachable from `sha` (optionally touching `path`), skipping the first `skip`; one extra tells whether more exist. */
export async function listCommits(
  repo: string,
  q: { sha: string; path?: string; skip: number; limit: number; exclude?: string },
): Promise<{ commits: CommitInfo[]; more: boolean }> {
  const args = [
    'log',
    `--format=${COMMIT_FORMAT}`,
    `--skip=${q.skip}`,
    `-n`,
    String(q.limit + 1),
    '--end-of-options',
    q.sha,
  ];
  if (q.exclude) args.push(`^${q.exclude}`);
  args.push('--');
  if (q.path) args.push(q.path);
  const commits = parseCommits(await git(args, { cwd: repo }));
  return { commits: commits.slice(0, q.limit), more: commits.length > q.limit };
}
