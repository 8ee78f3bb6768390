import type { RequestContext } from '../../../platform/context.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { ForbiddenError, NotFoundError } from '../../../platform/errors.ts';
import { type ErrorGroupRow, findGroupRow } from './error-store.ts';

/** Orchard's own errors are the instance admins' to see and handle. */
export function requireInstanceErrors(ctx: RequestContext) {
  if (ctx.actor.role !== 'admin' || ctx.actor.delegation)
    throw new ForbiddenError("Orchard's own errors are shown to instance admins only.");
}

/** A group of the given scope (an environment's id, or null for Orchard's own); any other is a 404. */
export async function requireGroup(
  db: Queryable,
  id: string,
  environmentId: string | null,
): Promise<ErrorGroupRow> {
  const group = await findGroupRow(db, id);
  if (!group || group.environment_id !== environmentId)
    throw new NotFoundError('No such error group here; it may have been removed with its environment.');
  return group;
}
