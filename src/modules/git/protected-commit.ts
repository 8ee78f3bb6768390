import { branchHead } from './browse/resolve-revision.ts';
import { isAncestor } from './merge.ts';
import { PROTECTED_BRANCHES } from './repository.ts';

/**
 * The protected branch whose history holds `sha`, or undefined. Only maintainers can put commits
 * there (a push needs the role, and so does a merge through the API), so such a commit is code a
 * maintainer accepted: it may be given protected secrets.
 */
export async function protectedBranchContaining(repo: string, sha: string): Promise<string | undefined> {
  for (const branch of PROTECTED_BRANCHES) {
    const head = await branchHead(repo, branch);
    if (head && (head === sha || (await isAncestor(repo, sha, head)))) return branch;
  }
  return undefined;
}
