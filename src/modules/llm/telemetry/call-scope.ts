import type { Queryable } from '../../../platform/db/pool.ts';
import { ForbiddenError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { requireProjectRole } from '../../projects/index.ts';

/**
 * Whose calls an actor may see: a project's (any member, by slug), or every call (instance admins).
 * Returns the project id to filter on, or null for all.
 */
export async function callScope(
  db: Queryable,
  actor: Actor,
  projectSlug: string | undefined,
): Promise<string | null> {
  if (projectSlug) return (await requireProjectRole(db, actor, projectSlug, 'viewer')).project.id;
  if (actor.role !== 'admin') {
    throw new ForbiddenError(
      "Only instance admins see every LLM call; pass ?project=<slug> for a project's calls.",
    );
  }
  return null;
}
