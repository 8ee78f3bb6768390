import type { Queryable } from '../../../platform/db/pool.ts';
import { NotFoundError, ValidationError } from '../../../platform/errors.ts';
import { autoStep, bucketIncrease, counterIncrease, histogramQuantile } from './metric-math.ts';

export const AGGREGATIONS = [
  'avg',
  'min',
  'max',
  'sum',
  'last',
  'rate',
  'delta',
  'p50',
  'p95',
  'p99',
] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

const MAX_BUCKETS = 2000;
const MAX_GROUPS = 20;
const MAX_POINTS = 200_000;

export interface SeriesQuery {
  environmentId: string;
  name: string;
  from: string;
  to: string;
  fromMs: number;
  toMs: number;
  stepSeconds?: number;
  aggregation?: Aggregation;
  groupBy?: string;
}

export interface MetricSeries {
  name: string;
  kind: string;
  unit: string;
  aggregation: Aggregation;
  stepSeconds: number;
  series: Array<{ group: string | null; points: Array<{ t: string; v: number | null }> }>;
  /** More points or groups than one answer holds: narrow the range or the grouping. */
  truncated: boolean;
}

interface PointRow {
  kind: string;
  unit: string;
  monotonic: boolean | null;
  temporality: number | null;
  t: number;
  start: number | null;
  value: number | null;
  bucket_counts: string[] | null;
  explicit_bounds: number[] | null;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  service_name: string;
  series_key: string;
}

const GAUGE_AGGS: Aggregation[] = ['avg', 'min', 'max', 'sum', 'last'];

/** Which aggregations a metric's kind allows, the first being its default. */
export function aggregationsFor(kind: string, monotonic: boolean | null): Aggregation[] {
  if (kind === 'gauge') return GAUGE_AGGS;
  if (kind === 'sum') return monotonic === false ? GAUGE_AGGS : ['rate', 'delta'];
  if (kind === 'histogram') return ['p95', 'p50', 'p99'];
  return [];
}

/** One metric of an environment as time buckets, aggregated, grouped by up to one attribute. */
export async function metricSeries(db: Queryable, q: SeriesQuery): Promise<MetricSeries> {
  const stepSeconds = q.stepSeconds ?? autoStep(q.toMs - q.fromMs);
  const stepMs = stepSeconds * 1000;
  const buckets = Math.ceil((q.toMs - q.fromMs) / stepMs);
  if (buckets > MAX_BUCKETS)
    throw new ValidationError(
      `The step makes ${buckets} buckets (at most ${MAX_BUCKETS}); use a larger step.`,
      [{ field: 'querystring.step', message: `must cut the range into at most ${MAX_BUCKETS} buckets` }],
    );
  // One step before `from` too: the point a counter's first increase is measured from.
  const { rows } = await db.query<PointRow>(
    `SELECT kind, unit, monotonic, temporality,
            extract(epoch FROM time) * 1000 AS t, extract(epoch FROM start_time) * 1000 AS start,
            value, bucket_counts, explicit_bounds, attributes, resource, service_name,
            service_name || attributes::text || resource::text AS series_key
     FROM otel_metric_points
     WHERE environment_id = $1 AND name = $2 AND time >= $3::timestamptz - $5 * interval '1 second'
       AND time < $4::timestamptz
     ORDER BY time
     LIMIT ${MAX_POINTS + 1}`,
    [q.environmentId, q.name, q.from, q.to, stepSeconds],
  );
  const first = rows[0];
  if (!first) throw new NotFoundError(`No points of metric "${q.name}" in this range.`);
  const allowed = aggregationsFor(first.kind, first.monotonic);
  if (!allowed.length)
    throw new ValidationError(`Metrics of kind ${first.kind} cannot be charted yet.`, [
      { field: 'querystring.name', message: `is a ${first.kind}; gauges, sums and histograms chart` },
    ]);
  const aggregation = q.aggregation ?? allowed[0]!;
  if (!allowed.includes(aggregation))
    throw new ValidationError(`A ${first.kind} takes the aggregations ${allowed.join(', ')}.`, [
      { field: 'querystring.aggregation', message: `must be one of ${allowed.join(', ')}` },
    ]);
  const truncated = rows.length > MAX_POINTS;
  const points = rows.slice(0, MAX_POINTS);

  // Samples per (group, bucket): values, or histogram counts.
  const cells = new Map<
    string | null,
    Map<number, { values: number[]; counts?: number[]; bounds?: number[] }>
  >();
  const groupOf = (r: PointRow): string | null => {
    if (!q.groupBy) return null;
    const v =
      r.attributes[q.groupBy] ??
      r.resource[q.groupBy] ??
      (q.groupBy === 'service.name' ? r.service_name : undefined);
    return v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  };
  const cell = (r: PointRow) => {
    const b = Math.floor((r.t - q.fromMs) / stepMs);
    if (b < 0) return undefined;
    const g = groupOf(r);
    let byBucket = cells.get(g);
    if (!byBucket) {
      byBucket = new Map();
      cells.set(g, byBucket);
    }
    let c = byBucket.get(b);
    if (!c) {
      c = { values: [] };
      byBucket.set(b, c);
    }
    return c;
  };
  const previous = new Map<string, PointRow>();
  const cumulative = first.kind === 'sum' ? first.temporality !== 1 : true;
  for (const r of points) {
    const prev = previous.get(r.series_key);
    previous.set(r.series_key, r);
    if (first.kind === 'gauge' || (first.kind === 'sum' && first.monotonic === false)) {
      if (r.value !== null) cell(r)?.values.push(r.value);
      continue;
    }
    // A point without one before it counts whole only when its series began in the fetched range
    // (or it is a delta); a cumulative point's whole value is the series' history.
    const fresh = r.start === null || r.start >= q.fromMs - stepMs;
    const restarted = !prev || (r.start !== null && prev.start !== r.start);
    if (!prev && cumulative && !fresh) continue;
    const c = cell(r);
    if (!c) continue;
    if (first.kind === 'sum') {
      const v = r.value ?? 0;
      c.values.push(!cumulative ? v : prev ? counterIncrease(prev.value ?? 0, v, restarted) : v);
    } else if (r.bucket_counts && r.explicit_bounds) {
      const next = r.bucket_counts.map(Number);
      const inc = prev?.bucket_counts
        ? bucketIncrease(prev.bucket_counts.map(Number), next, restarted)
        : next;
      c.counts = c.counts ? c.counts.map((n, i) => n + (inc[i] ?? 0)) : inc;
      c.bounds = r.explicit_bounds;
    }
  }

  const groups = [...cells.keys()].sort((a, b) => String(a).localeCompare(String(b)));
  const shown = groups.slice(0, MAX_GROUPS);
  const reduce = (
    c: { values: number[]; counts?: number[]; bounds?: number[] } | undefined,
  ): number | null => {
    if (!c) return null;
    const vs = c.values;
    switch (aggregation) {
      case 'avg':
        return vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : null;
      case 'min':
        return vs.length ? Math.min(...vs) : null;
      case 'max':
        return vs.length ? Math.max(...vs) : null;
      case 'sum':
      case 'delta':
        return vs.length ? vs.reduce((a, b) => a + b, 0) : null;
      case 'last':
        return vs.length ? vs[vs.length - 1]! : null;
      case 'rate':
        return vs.length ? vs.reduce((a, b) => a + b, 0) / stepSeconds : null;
      default:
        return c.counts && c.bounds
          ? histogramQuantile(Number(aggregation.slice(1)) / 100, c.counts, c.bounds)
          : null;
    }
  };
  return {
    name: q.name,
    kind: first.kind,
    unit: first.unit,
    aggregation,
    stepSeconds,
    truncated: truncated || groups.length > MAX_GROUPS,
    series: shown.map((group) => ({
      group,
      points: Array.from({ length: buckets }, (_, b) => ({
        t: new Date(q.fromMs + b * stepMs).toISOString(),
        v: reduce(cells.get(group)?.get(b)),
      })),
    })),
  };
}
