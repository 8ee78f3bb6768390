import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { requireProjectRole } from '../../projects/index.ts';

/** What the telemetry queries need; the composition root gives the deploy module's resolver. */
export interface TelemetryQueryDeps {
  db: Db;
  clock: Clock;
  /** An environment named in a URL, as the deploy module resolves it (404 when there is none). */
  findEnvironment(db: Db, projectId: string, param: string): Promise<{ id: string; name: string }>;
}

/** The environment whose telemetry a project viewer (or above) reads. */
export async function requireTelemetryEnvironment(
  deps: TelemetryQueryDeps,
  actor: Actor,
  where: { slug: string; env: string },
) {
  const { project } = await requireProjectRole(deps.db, actor, where.slug, 'viewer');
  const environment = await deps.findEnvironment(deps.db, project.id, where.env);
  const base = `/api/projects/${encodeURIComponent(project.slug)}/environments/${encodeURIComponent(environment.name)}/telemetry`;
  return { project, environment, base };
}
