import type { RequestContext } from '../../../platform/context.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { ForbiddenError, NotFoundError } from '../../../platform/errors.ts';
import { findEnvironmentByParam } from '../../deploy/index.ts';
import { type ProjectRole, requireProjectRole } from '../../projects/index.ts';
import { type ErrorGroupRow, findGroupRow } from './error-store.ts';

/** An environment's errors: project viewers read them, developers and above change their status. */
export async function requireEnvironmentErrors(
  db: Queryable,
  ctx: RequestContext,
  where: { slug: string; env: string },
  needed: ProjectRole,
) {
  const { project } = await requireProjectRole(db, ctx.actor, where.slug, needed);
  const environment = await findEnvironmentByParam(db, project.id, where.env);
  return { project, environment };
}

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
