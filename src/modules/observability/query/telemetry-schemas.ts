import { z } from 'zod';
import { TimestampParam } from '../../../platform/http/timestamp-param.ts';
import { EnvironmentParams } from '../environment-params.ts';
import { AGGREGATIONS } from './metric-series.ts';

const TraceId = z.string().regex(/^[0-9a-fA-F]{32}$/, 'must be a trace id: 32 hex digits');
export const TraceParams = EnvironmentParams.extend({ traceId: TraceId });

const SpanId = z.string().regex(/^[0-9a-fA-F]{16}$/, 'must be a span id: 16 hex digits');
const Range = {
  /** Start of the range (ISO 8601, µs kept); default an hour before `to`. */
  from: TimestampParam.optional(),
  /** End of the range, exclusive (ISO 8601); default now. */
  to: TimestampParam.optional(),
};
const Limit = (max: number, fallback: number) =>
  z.coerce
    .number({ error: `must be a number from 1 to ${max}` })
    .int(`must be a whole number from 1 to ${max}`)
    .min(1, `must be from 1 to ${max}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

export const LogSearchQuery = z.object({
  /** Words (all must appear), "quoted phrases" and `attr.key=value` terms. */
  q: z.string().max(500).optional(),
  /** At least this severity: a SeverityNumber 0–24 or trace|debug|info|warn|error|fatal. */
  severity: z.string().max(20).optional(),
  /** `key=value`, repeatable: records whose attribute `key` is `value` (a number matches as such too). */
  attr: z.union([z.string().max(500), z.array(z.string().max(500)).max(10)]).optional(),
  service: z.string().max(200).optional(),
  traceId: TraceId.optional(),
  spanId: SpanId.optional(),
  ...Range,
  limit: Limit(500, 100),
  cursor: z.string().max(500).optional(),
});
export type LogSearchQuery = z.infer<typeof LogSearchQuery>;

const Json = z.record(z.string(), z.unknown());

export const LogRecord = z.object({
  time: z.string(),
  observedTime: z.string().nullable(),
  severityNumber: z.number(),
  severityText: z.string(),
  body: z.string(),
  serviceName: z.string(),
  attributes: Json,
  resource: Json,
  traceId: z.string().nullable(),
  spanId: z.string().nullable(),
  /** The API path of the record's trace, when it names one. */
  traceUrl: z.string().nullable(),
});
export const LogPage = z.object({ items: z.array(LogRecord), nextCursor: z.string().nullable() });

export const TraceListQuery = z.object({
  ...Range,
  /** Only traces lasting at least this many milliseconds. */
  minDurationMs: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .min(0)
    .max(86_400_000)
    .optional(),
  /** `true`: only traces with a span in error. */
  errors: z.enum(['true', 'false']).optional(),
  /** Only traces with a span whose name contains this. */
  name: z.string().max(200).optional(),
  limit: Limit(200, 50),
  cursor: z.string().max(500).optional(),
});
export const TraceSummary = z.object({
  traceId: z.string(),
  rootName: z.string(),
  serviceName: z.string(),
  start: z.string(),
  durationMs: z.number(),
  spanCount: z.number(),
  error: z.boolean(),
  orchard: z.boolean(),
});
export const TracePage = z.object({ items: z.array(TraceSummary), nextCursor: z.string().nullable() });

export const SpanView = z.object({
  spanId: z.string(),
  parentSpanId: z.string().nullable(),
  name: z.string(),
  kind: z.number(),
  serviceName: z.string(),
  start: z.string(),
  offsetUs: z.number(),
  durationUs: z.number(),
  statusCode: z.number(),
  statusMessage: z.string(),
  error: z.boolean(),
  source: z.enum(['app', 'orchard']),
  attributes: Json,
  resource: Json,
  events: z.array(Json),
  logCount: z.number(),
  depth: z.number(),
  /** The API path of the log search for this span's records. */
  logsUrl: z.string(),
});
export const TraceView = z.object({
  traceId: z.string(),
  start: z.string(),
  durationUs: z.number(),
  spanCount: z.number(),
  error: z.boolean(),
  spans: z.array(SpanView),
});

export const MetricListQuery = z.object(Range);
export const MetricInfo = z.object({
  name: z.string(),
  kind: z.string(),
  unit: z.string(),
  description: z.string(),
  monotonic: z.boolean().nullable(),
  temporality: z.number().nullable(),
  lastSeen: z.string(),
  /** What the series query takes for it, the default first. */
  aggregations: z.array(z.enum(AGGREGATIONS)),
});
export const MetricList = z.object({ items: z.array(MetricInfo) });

export const SeriesQuery = z.object({
  name: z.string().min(1).max(255),
  ...Range,
  /** Bucket width in seconds; default about 120 buckets over the range. */
  step: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be whole seconds')
    .min(1)
    .max(86_400)
    .optional(),
  aggregation: z.enum(AGGREGATIONS).optional(),
  /** An attribute (or resource attribute) key to draw one line per value of. */
  groupBy: z.string().min(1).max(200).optional(),
});
export const MetricSeries = z.object({
  name: z.string(),
  kind: z.string(),
  unit: z.string(),
  aggregation: z.enum(AGGREGATIONS),
  stepSeconds: z.number(),
  truncated: z.boolean(),
  series: z.array(
    z.object({
      group: z.string().nullable(),
      points: z.array(z.object({ t: z.string(), v: z.number().nullable() })),
    }),
  ),
});
