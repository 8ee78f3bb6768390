import type { Queryable } from '../../../platform/db/pool.ts';

/**
 * The read side of the telemetry tables for alert rules: one value per rule and window
 * (`from` exclusive, `to` inclusive), or null when the window holds nothing to measure.
 */
export interface MeasureWindow {
  environmentId: string;
  from: Date;
  to: Date;
}

const SERVER_SPANS = `FROM otel_spans WHERE environment_id = $1 AND start_time > $2 AND start_time <= $3
  AND kind = 2 AND source = 'app'`;

/** Percent of server spans with error status; else of log records at error or worse; else null. */
export async function measureErrorRate(db: Queryable, w: MeasureWindow): Promise<number | null> {
  const { rows } = await db.query<{ spans: number; errors: number }>(
    `SELECT count(*)::int AS spans, count(*) FILTER (WHERE status_code = 2)::int AS errors ${SERVER_SPANS}`,
    [w.environmentId, w.from, w.to],
  );
  const spans = rows[0]!;
  if (spans.spans > 0) return (100 * spans.errors) / spans.spans;
  const logs = await db.query<{ total: number; errors: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE severity_number >= 17)::int AS errors
     FROM otel_logs WHERE environment_id = $1 AND time > $2 AND time <= $3`,
    [w.environmentId, w.from, w.to],
  );
  const l = logs.rows[0]!;
  return l.total > 0 ? (100 * l.errors) / l.total : null;
}

/** p95 of server span durations in milliseconds (continuous percentile), or null without spans. */
export async function measureLatencyP95(db: Queryable, w: MeasureWindow): Promise<number | null> {
  const { rows } = await db.query<{ p95: number | null }>(
    `SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ns) / 1e6 AS p95 ${SERVER_SPANS}`,
    [w.environmentId, w.from, w.to],
  );
  return rows[0]?.p95 ?? null;
}

/** Log records whose body holds the phrase (`words`) or the text (`substring`, case-insensitive). */
export async function measureLogMatches(
  db: Queryable,
  w: MeasureWindow,
  pattern: string,
  match: 'words' | 'substring',
): Promise<number> {
  const where =
    match === 'words'
      ? `search @@ phraseto_tsquery('simple', $4)`
      : // The pattern is literal text: LIKE's wildcards and its escape character are escaped.
        `body ILIKE '%' || replace(replace(replace($4, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`;
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM otel_logs
     WHERE environment_id = $1 AND time > $2 AND time <= $3 AND ${where}`,
    [w.environmentId, w.from, w.to, pattern],
  );
  return rows[0]!.n;
}

const AGGREGATES = {
  avg: 'avg(v)',
  max: 'max(v)',
  min: 'min(v)',
  last: '(array_agg(v ORDER BY time DESC))[1]',
} as const;

/**
 * A metric's points in the window, aggregated: gauges and sums by their value, histograms and
 * summaries by their mean (sum / count). Null without points.
 */
export async function measureMetric(
  db: Queryable,
  w: MeasureWindow,
  m: { metric: string; aggregation: keyof typeof AGGREGATES; attributes: Record<string, string> },
): Promise<number | null> {
  const { rows } = await db.query<{ value: number | null }>(
    `SELECT ${AGGREGATES[m.aggregation]} AS value FROM (
       SELECT time, COALESCE(value, sum / NULLIF(count, 0)) AS v FROM otel_metric_points
       WHERE environment_id = $1 AND name = $4 AND time > $2 AND time <= $3 AND attributes @> $5::jsonb
     ) points WHERE v IS NOT NULL`,
    [w.environmentId, w.from, w.to, m.metric, JSON.stringify(m.attributes)],
  );
  return rows[0]?.value ?? null;
}
