import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { findEnvironmentByParam } from '../deploy/index.ts';
import { type ProjectRole, requireProjectRole } from '../projects/index.ts';

/**
 * The project (where the actor holds `needed` or more) and its environment named in a URL, as the
 * deploy module resolves it (404 when there is none): what every per-environment read and change of
 * telemetry, errors and alert rules starts with.
 */
export async function requireEnvironment(
  db: Queryable,
  actor: Actor,
  where: { slug: string; env: string },
  needed: ProjectRole,
) {
  const { project } = await requireProjectRole(db, actor, where.slug, needed);
  const environment = await findEnvironmentByParam(db, project.id, where.env);
  return { project, environment };
}
