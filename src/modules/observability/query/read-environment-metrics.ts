import type { Actor } from '../../../platform/http/actor.ts';
import { requireEnvironment } from '../require-environment.ts';
import { listMetrics } from './list-metrics.ts';
import { type Aggregation, aggregationsFor, metricSeries } from './metric-series.ts';
import type { TelemetryQueryDeps } from './telemetry-deps.ts';
import { resolveTimeRange } from './time-range.ts';

type Where = { slug: string; env: string };

/** The metrics one environment sent in the range (viewers), with the aggregations each takes. */
export async function readEnvironmentMetrics(
  deps: TelemetryQueryDeps,
  actor: Actor,
  where: Where,
  query: { from?: string; to?: string },
) {
  const { environment } = await requireEnvironment(deps.db, actor, where, 'viewer');
  const range = resolveTimeRange(deps.clock.now(), query);
  const metrics = await listMetrics(deps.db, { environmentId: environment.id, ...range });
  return { items: metrics.map((m) => ({ ...m, aggregations: aggregationsFor(m.kind, m.monotonic) })) };
}

/** One metric of an environment as a series of time buckets (viewers). */
export async function readMetricSeries(
  deps: TelemetryQueryDeps,
  actor: Actor,
  where: Where,
  query: {
    name: string;
    from?: string;
    to?: string;
    step?: number;
    aggregation?: Aggregation;
    groupBy?: string;
  },
) {
  const { environment } = await requireEnvironment(deps.db, actor, where, 'viewer');
  const range = resolveTimeRange(deps.clock.now(), query);
  return metricSeries(deps.db, {
    environmentId: environment.id,
    name: query.name,
    ...range,
    ...(query.step !== undefined ? { stepSeconds: query.step } : {}),
    ...(query.aggregation ? { aggregation: query.aggregation } : {}),
    ...(query.groupBy ? { groupBy: query.groupBy } : {}),
  });
}
