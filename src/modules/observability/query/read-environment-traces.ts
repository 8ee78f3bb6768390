import type { Actor } from '../../../platform/http/actor.ts';
import { requireEnvironment } from '../require-environment.ts';
import { getTrace } from './get-trace.ts';
import { listTraces } from './list-traces.ts';
import { type TelemetryQueryDeps, telemetryBase } from './telemetry-deps.ts';
import { resolveTimeRange } from './time-range.ts';

type Where = { slug: string; env: string };

/** Recent traces of one environment (viewers), newest first. */
export async function readEnvironmentTraces(
  deps: TelemetryQueryDeps,
  actor: Actor,
  where: Where,
  query: {
    from?: string;
    to?: string;
    minDurationMs?: number;
    errors?: 'true' | 'false';
    name?: string;
    limit: number;
    cursor?: string;
  },
) {
  const { environment } = await requireEnvironment(deps.db, actor, where, 'viewer');
  const range = resolveTimeRange(deps.clock.now(), query);
  return listTraces(
    deps.db,
    {
      environmentId: environment.id,
      from: range.from,
      to: range.to,
      ...(query.minDurationMs !== undefined ? { minDurationMs: query.minDurationMs } : {}),
      ...(query.errors === 'true' ? { errorsOnly: true } : {}),
      ...(query.name ? { name: query.name } : {}),
    },
    { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) },
  );
}

/** One trace of an environment (viewers): every span, each linked to the log search of its records. */
export async function readEnvironmentTrace(
  deps: TelemetryQueryDeps,
  actor: Actor,
  where: Where & { traceId: string },
) {
  const { project, environment } = await requireEnvironment(deps.db, actor, where, 'viewer');
  const base = telemetryBase(project, environment);
  const trace = await getTrace(deps.db, environment.id, where.traceId.toLowerCase());
  // Logs of a span: its trace and span ids, over the trace's time give or take an hour.
  const from = new Date(Date.parse(trace.start) - 3_600_000).toISOString();
  const to = new Date(Date.parse(trace.start) + trace.durationUs / 1000 + 3_600_000).toISOString();
  return {
    ...trace,
    spans: trace.spans.map((s) => ({
      ...s,
      logsUrl: `${base}/logs?traceId=${trace.traceId}&spanId=${s.spanId}&from=${from}&to=${to}`,
    })),
  };
}
