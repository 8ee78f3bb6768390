import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { requireProjectRole } from './access.ts';
import type { ProjectOverviews } from './project-overviews.ts';
import type { ProjectOverview } from './schemas.ts';

/** One project's overview (its last build, staging and production, open reviews), for its viewers. */
export async function getProjectOverview(
  db: Queryable,
  overviews: ProjectOverviews,
  actor: Actor,
  slug: string,
): Promise<ProjectOverview> {
  const { project } = await requireProjectRole(db, actor, slug, 'viewer', { allowArchived: true });
  const overview = (await overviews.of([project.id])).get(project.id);
  if (!overview) throw new NotFoundError(`No overview of project "${slug}".`);
  return overview;
}
