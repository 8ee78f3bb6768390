import { protectedBranchContaining, repositoryPath } from '../../git/index.ts';

export interface ReleaseSecretAccess {
  protectedAllowed: boolean;
  /** Why, in words for the log (never values). */
  reason: string;
}

/**
 * Whether a release's build or app may be given protected secrets (docs/git-and-pipelines.md,
 * "Who may use a secret"). Production: yes, only maintainers change what runs there (publish,
 * rollback). Staging and previews: only when the commit is on a protected branch, i.e. code a
 * maintainer accepted. Who asked for the deploy does not count: developers deploy staging and
 * previews, previews follow every push to their branch, and the supervisor restarts apps long
 * after the request. A build runs once per commit, shared by every environment, so it follows
 * the commit rule alone.
 */
export async function releaseSecretAccess(
  home: string,
  slug: string,
  sha: string,
  environment?: 'staging' | 'production' | 'preview',
): Promise<ReleaseSecretAccess> {
  if (environment === 'production')
    return { protectedAllowed: true, reason: 'production changes only through maintainers' };
  const branch = await protectedBranchContaining(repositoryPath(home, slug), sha);
  if (branch)
    return { protectedAllowed: true, reason: `commit ${sha.slice(0, 7)} is on protected branch "${branch}"` };
  return { protectedAllowed: false, reason: `commit ${sha.slice(0, 7)} is not on a protected branch` };
}

/** The log line naming protected secrets left out of a build or an app (names only). */
export function withheldNote(withheld: string[], what: 'build' | 'app', reason: string): string {
  const s = withheld.length > 1 ? 's' : '';
  const them = withheld.length > 1 ? 'them' : 'it';
  return `⚠ Withheld protected secret${s} ${withheld.join(', ')} from the ${what}: ${reason}. It runs without ${them}; merge the commit into a protected branch (or unprotect the secret${s}) to give ${them}.`;
}
