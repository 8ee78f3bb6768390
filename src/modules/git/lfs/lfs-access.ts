import type { Queryable } from '../../../platform/db/pool.ts';
import { ForbiddenError, NotFoundError } from '../../../platform/errors.ts';
import { type Actor, hasScope } from '../../../platform/http/actor.ts';
import { type ProjectAccess, requireProjectRole } from '../../projects/index.ts';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

/** `shop.git` (what git-lfs derives from the remote URL) or `shop`: the project's slug. */
export function repoSlug(repo: string): string {
  const slug = repo.replace(/\.git$/, '');
  if (!SLUG.test(slug)) throw new NotFoundError(`No repository "${repo}".`);
  return slug;
}

/**
 * Git LFS is authorised as smart HTTP is: reading (download, listing locks) needs the `read` scope
 * and the viewer role, writing (upload, verify, locks) the `write` scope and developer.
 */
export async function requireLfsAccess(
  db: Queryable,
  actor: Actor,
  repo: string,
  access: 'read' | 'write',
): Promise<ProjectAccess> {
  const slug = repoSlug(repo);
  if (!hasScope(actor, access))
    throw new ForbiddenError(`This token lacks the ${access} scope; make a token with ${access}.`);
  return requireProjectRole(db, actor, slug, access === 'write' ? 'developer' : 'viewer');
}
