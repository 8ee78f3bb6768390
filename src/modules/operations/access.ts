import type { Queryable } from '../../platform/db/pool.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import { type Actor, hasScope } from '../../platform/http/actor.ts';
import { findProjectById, type ProjectRole, requireProjectRole } from '../projects/index.ts';
import { findOperation, type OperationRow } from './store.ts';

/** True for instance admins (tokens need the admin scope too). */
export function isAdmin(actor: Actor) {
  return actor.role === 'admin' && hasScope(actor, 'admin');
}

/**
 * Loads an operation the actor may see (`viewer`) or act on (`developer`): project operations follow
 * project roles, system operations (no project) are for instance admins only.
 */
export async function requireOperation(
  db: Queryable,
  actor: Actor,
  id: string,
  needed: ProjectRole,
): Promise<OperationRow> {
  const op = await findOperation(db, id);
  if (!op) throw new NotFoundError(`No operation ${id}.`);
  if (op.project_id) {
    const project = await findProjectById(db, op.project_id);
    if (!project) throw new NotFoundError(`No operation ${id}.`);
    await requireProjectRole(db, actor, project.slug, needed, { allowArchived: true });
  } else if (!isAdmin(actor)) {
    throw new ForbiddenError('System operations are visible to instance admins only.');
  }
  return op;
}
