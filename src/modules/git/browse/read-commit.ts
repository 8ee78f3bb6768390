import { runGit } from '../git-process.ts';
import type { HeadCommit } from '../push.ts';

export interface CommitInfo extends HeadCommit {
  parents: string[];
  authorDate: string;
  committerName: string;
  committerEmail: string;
  committedAt: string;
  /** First line of the message. */
  title: string;
}

/** `git log` fields separated by NUL, records by RS (the message is last and may hold anything but NUL). */
export const COMMIT_FORMAT = '%H%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x1e';

export function parseCommits(text: string): CommitInfo[] {
  return text
    .split('\x1e')
    .map((r) => r.replace(/^\n/, ''))
    .filter(Boolean)
    .map((record) => {
      const [sha, parents, an, ae, ad, cn, ce, cd, message = ''] = record.split('\0');
      const msg = message.replace(/\n+$/, '');
      return {
        sha: sha!,
        parents: parents ? parents.split(' ') : [],
        authorName: an!,
        authorEmail: ae!,
        authorDate: ad!,
        committerName: cn!,
        committerEmail: ce!,
        committedAt: cd!,
        timestamp: cd!,
        message: msg,
        title: msg.split('\n')[0] ?? '',
      };
    });
}

/** One commit's metadata, or undefined when `sha` is not a commit in the repository. */
export async function readCommit(repo: string, sha: string): Promise<CommitInfo | undefined> {
  const result = await runGit(['log', '-1', `--format=${COMMIT_FORMAT}`, '--end-of-options', sha, '--'], {
    cwd: repo,
  });
  if (result.code !== 0) return undefined;
  return parseCommits(result.stdout.toString('utf8'))[0];
}
