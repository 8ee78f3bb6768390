import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { type ProjectRow, requireProjectRole } from '../projects/index.ts';
import { requireBlueprint } from './blueprint-access.ts';
import { findCurrentBlueprintRows } from './current-blueprints.ts';
import type { BlueprintRow } from './store.ts';

/**
 * A project's current Blueprint — its newest one that is not discarded — or, given `id`, that
 * Blueprint of the project (viewers; 404 when the project has none, or `id` is another project's).
 */
export async function findProjectBlueprint(
  db: Queryable,
  actor: Actor,
  slug: string,
  id?: string,
): Promise<{ blueprint: BlueprintRow; project: ProjectRow }> {
  if (id) {
    const found = await requireBlueprint(db, actor, id, 'viewer');
    if (found.project.slug !== slug) throw new NotFoundError(`No Blueprint ${id} in project "${slug}".`);
    return found;
  }
  const { project } = await requireProjectRole(db, actor, slug, 'viewer');
  const [blueprint] = await findCurrentBlueprintRows(db, [project.id], 1);
  if (!blueprint)
    throw new NotFoundError(
      `Project "${slug}" has no Blueprint yet; create one (POST /api/projects/${slug}/blueprints) or describe the app to the Studio.`,
    );
  return { blueprint, project };
}
