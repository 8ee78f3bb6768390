import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';

/** What the telemetry queries need. */
export interface TelemetryQueryDeps {
  db: Db;
  clock: Clock;
}

/** The API path of an environment's telemetry (what the records' and spans' links start with). */
export function telemetryBase(project: { slug: string }, environment: { name: string }) {
  return `/api/projects/${encodeURIComponent(project.slug)}/environments/${encodeURIComponent(environment.name)}/telemetry`;
}
