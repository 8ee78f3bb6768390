import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { findProjectById, type ProjectRole, type ProjectRow, requireProjectRole } from '../projects/index.ts';
import { type BlueprintRow, findBlueprint } from './store.ts';

/** Loads a Blueprint and checks the actor's role in its project (404 when either is missing). */
export async function requireBlueprint(
  db: Queryable,
  actor: Actor,
  id: string,
  role: ProjectRole,
): Promise<{ blueprint: BlueprintRow; project: ProjectRow }> {
  const blueprint = await findBlueprint(db, id);
  if (!blueprint) throw new NotFoundError(`No Blueprint ${id}.`);
  const project = await findProjectById(db, blueprint.project_id);
  if (!project) throw new NotFoundError(`No Blueprint ${id}.`);
  await requireProjectRole(db, actor, project.slug, role);
  return { blueprint, project };
}
