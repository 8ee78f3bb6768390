import type { Queryable } from '../../../platform/db/pool.ts';
import { microIso } from './micro-cursor.ts';

export interface MetricInfo {
  name: string;
  kind: string;
  unit: string;
  description: string;
  monotonic: boolean | null;
  temporality: number | null;
  lastSeen: string;
}

/** The metrics an environment sent in the range, by name, with their kind and unit. */
export async function listMetrics(
  db: Queryable,
  input: { environmentId: string; from: string; to: string },
): Promise<MetricInfo[]> {
  const { rows } = await db.query<MetricInfo>(
    `SELECT DISTINCT ON (name) name, kind, unit, description, monotonic, temporality,
            ${microIso('max(time) OVER (PARTITION BY name)')} AS "lastSeen"
     FROM otel_metric_points
     WHERE environment_id = $1 AND time >= $2::timestamptz AND time < $3::timestamptz
     ORDER BY name, time DESC
     LIMIT 1000`,
    [input.environmentId, input.from, input.to],
  );
  return rows;
}
