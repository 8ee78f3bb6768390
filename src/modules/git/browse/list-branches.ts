import { git } from '../git-process.ts';
import { DEFAULT_BRANCH, PROTECTED_BRANCHES } from '../repository.ts';

export interface Branch {
  name: string;
  sha: string;
  committedAt: string;
  title: string;
  default: boolean;
  protected: boolean;
  /** Its head commit has no parent. */
  root: boolean;
}

export async function listBranches(repo: string): Promise<Branch[]> {
  const text = await git(
    [
      'for-each-ref',
      '--format=%(refname:short)%00%(objectname)%00%(committerdate:iso-strict)%00%(parent)%00%(contents:subject)',
      'refs/heads/',
    ],
    { cwd: repo },
  );
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, sha, committedAt, parents, title] = line.split('\0');
      return {
        name: name!,
        sha: sha!,
        committedAt: committedAt!,
        title: title ?? '',
        default: name === DEFAULT_BRANCH,
        protected: PROTECTED_BRANCHES.includes(name!),
        root: !parents,
      };
    });
}
