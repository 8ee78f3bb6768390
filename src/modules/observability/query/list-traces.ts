import type { Queryable } from '../../../platform/db/pool.ts';
import { fetchPage, type Page } from '../../../platform/http/cursor.ts';
import { microIso, traceCursor } from './micro-cursor.ts';

export interface TraceFilters {
  environmentId: string;
  from: string;
  to: string;
  /** Only traces lasting at least this long (ms). */
  minDurationMs?: number;
  errorsOnly?: boolean;
  /** Only traces with a span whose name contains this (any case). */
  name?: string;
}

export interface TraceSummary {
  traceId: string;
  rootName: string;
  serviceName: string;
  start: string;
  durationMs: number;
  spanCount: number;
  error: boolean;
  /** Whether Orchard recorded spans of it (a deploy, a verification). */
  orchard: boolean;
}

/**
 * Recent traces of an environment, newest first: the traces with spans starting in the range,
 * each summarised by its root span (the earliest span without a parent when it has several).
 */
export async function listTraces(
  db: Queryable,
  filters: TraceFilters,
  page: { limit: number; cursor?: string },
): Promise<Page<TraceSummary>> {
  const after = traceCursor.decode(page.cursor);
  const params: unknown[] = [filters.environmentId, filters.from, filters.to];
  const add = (v: unknown) => `$${params.push(v)}`;
  const having: string[] = [];
  if (filters.minDurationMs !== undefined)
    having.push(
      `max(end_time) - min(start_time) >= ${add(filters.minDurationMs)} * interval '1 millisecond'`,
    );
  if (filters.errorsOnly) having.push('bool_or(status_code = 2)');
  if (filters.name) having.push(`bool_or(strpos(lower(name), lower(${add(filters.name)})) > 0)`);
  const outer = after
    ? `WHERE (t.start, t.trace_id) < (${add(after[0])}::timestamptz, ${add(after[1])})`
    : '';
  const sql = (limit: number) => `WITH t AS (
       SELECT trace_id, min(start_time) AS start, max(end_time) AS end_at, count(*)::int AS spans,
              bool_or(status_code = 2) AS error, bool_or(source = 'orchard') AS orchard
       FROM otel_spans
       WHERE environment_id = $1 AND start_time >= $2::timestamptz AND start_time < $3::timestamptz
       GROUP BY trace_id
       ${having.length ? `HAVING ${having.join(' AND ')}` : ''}
     )
     SELECT t.trace_id AS "traceId", coalesce(root.name, '') AS "rootName",
            coalesce(root.service_name, '') AS "serviceName", ${microIso('t.start')} AS start,
            round(extract(epoch FROM t.end_at - t.start) * 1000, 3)::float8 AS "durationMs",
            t.spans AS "spanCount", t.error, t.orchard
     FROM t
     LEFT JOIN LATERAL (
       SELECT name, service_name FROM otel_spans s
       WHERE s.environment_id = $1 AND s.trace_id = t.trace_id
       ORDER BY (s.parent_span_id IS NULL OR s.parent_span_id = '') DESC, s.start_time
       LIMIT 1
     ) root ON true
     ${outer}
     ORDER BY t.start DESC, t.trace_id DESC
     LIMIT ${limit}`;
  return fetchPage(
    page.limit,
    async (limit) => (await db.query<TraceSummary>(sql(limit), params)).rows,
    traceCursor.key,
    (row) => row,
  );
}
