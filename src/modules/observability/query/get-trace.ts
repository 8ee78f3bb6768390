import type { Queryable } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { microIso } from './micro-cursor.ts';

export interface SpanView {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  serviceName: string;
  start: string;
  /** µs from the trace's first span's start: where the waterfall draws the bar. */
  offsetUs: number;
  durationUs: number;
  statusCode: number;
  statusMessage: string;
  error: boolean;
  source: 'app' | 'orchard';
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  events: Array<{ name: string; time: string; attributes?: Record<string, unknown> }>;
  /** Log records of the environment that name this span. */
  logCount: number;
  /** Depth under its root (0 for a root): the waterfall's indent. */
  depth: number;
}

export interface TraceView {
  traceId: string;
  start: string;
  durationUs: number;
  spanCount: number;
  error: boolean;
  spans: SpanView[];
}

/** Every span of one trace in an environment (the app's and Orchard's), ready for a waterfall. */
export async function getTrace(db: Queryable, environmentId: string, traceId: string): Promise<TraceView> {
  const { rows } = await db.query<Omit<SpanView, 'depth' | 'error'>>(
    `WITH s AS (
       SELECT *, min(start_time) OVER () AS trace_start FROM otel_spans
       WHERE environment_id = $1 AND trace_id = $2
     ), logs AS (
       SELECT span_id, count(*)::int AS n FROM otel_logs
       WHERE environment_id = $1 AND trace_id = $2 AND span_id IS NOT NULL GROUP BY span_id
     )
     SELECT s.span_id AS "spanId", nullif(s.parent_span_id, '') AS "parentSpanId", s.name, s.kind,
            s.service_name AS "serviceName", ${microIso('s.start_time')} AS start,
            (extract(epoch FROM s.start_time - s.trace_start) * 1000000)::float8 AS "offsetUs",
            round(s.duration_ns / 1000.0, 3)::float8 AS "durationUs",
            s.status_code AS "statusCode", s.status_message AS "statusMessage", s.source,
            s.attributes, s.resource, s.events, coalesce(logs.n, 0) AS "logCount"
     FROM s LEFT JOIN logs ON logs.span_id = s.span_id
     ORDER BY s.start_time, s.span_id`,
    [environmentId, traceId],
  );
  if (!rows.length) throw new NotFoundError(`No trace ${traceId} in this environment (in the kept range).`);
  const byId = new Map(rows.map((r) => [r.spanId, r]));
  const depthOf = (span: (typeof rows)[number], seen = 0): number => {
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    return parent && seen < 64 ? 1 + depthOf(parent, seen + 1) : 0;
  };
  const spans = rows.map((r) => ({ ...r, error: r.statusCode === 2, depth: depthOf(r) }));
  const durationUs = Math.max(...spans.map((s) => s.offsetUs + s.durationUs));
  return {
    traceId,
    start: rows[0]!.start,
    durationUs,
    spanCount: spans.length,
    error: spans.some((s) => s.error),
    spans,
  };
}
