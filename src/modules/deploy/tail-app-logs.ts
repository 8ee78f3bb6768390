import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { requireProjectRole } from '../projects/index.ts';
import { findEnvironmentByParam } from './find-environment.ts';
import { tailLogs } from './serve/read-logs.ts';
import type { Supervisor } from './serve/supervisor.ts';

/**
 * The last `tail` lines of an environment's app log (viewers), with what a live follower needs:
 * the project, the environment and where its log file ends now.
 */
export async function tailAppLogs(
  deps: { db: Queryable; home: string; supervisor: Supervisor },
  actor: Actor,
  input: { slug: string; env: string; tail: number },
) {
  const { project } = await requireProjectRole(deps.db, actor, input.slug, 'viewer');
  const environment = await findEnvironmentByParam(deps.db, project.id, input.env);
  const { lines, fileOffset } = await tailLogs(deps.supervisor, deps.home, environment, input.tail);
  return { project, environment, lines, fileOffset };
}
