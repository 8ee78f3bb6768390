/**
 * Rows of the telemetry tables (migration 0030: otel_spans, otel_logs, otel_metric_points), in
 * camelCase, one field per column. The ingest writes them; query, alerts and error reporting read
 * them. `receivedAt` and the logs' generated `search` column are filled by the database.
 *
 * Ids are lower-case hex (trace 32 chars, span 16). Attributes and resources are OTLP attributes
 * flattened to a plain JSON object (string, boolean, number — or a decimal string for integers
 * beyond 2^53 —, arrays, nested objects for kvlists, base64 strings for bytes).
 */

/** A JSON value as stored in the jsonb columns. */
export type TelemetryJson =
  | string
  | number
  | boolean
  | null
  | TelemetryJson[]
  | { [key: string]: TelemetryJson };

/** Flattened OTLP attributes: `{ "http.route": "/", "http.response.status_code": 200 }`. */
export type TelemetryAttributes = Record<string, TelemetryJson>;

/** Where a span came from: the app's own exporter, or Orchard recording its deploy/verify work. */
export type SpanSource = 'app' | 'orchard';

/** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
export type SpanKindNumber = 0 | 1 | 2 | 3 | 4 | 5;

/** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
export type SpanStatusCode = 0 | 1 | 2;

/** One span event, as stored in `otel_spans.events`. */
export interface SpanEventRow {
  name: string;
  /** ISO 8601 (UTC). */
  time: string;
  attributes: TelemetryAttributes;
}

/** One row of `otel_spans`. */
export interface SpanRow {
  environmentId: string;
  projectId: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: SpanKindNumber;
  serviceName: string;
  startTime: Date;
  endTime: Date;
  /** Exact duration in nanoseconds (the timestamps keep microseconds only). */
  durationNs: number;
  statusCode: SpanStatusCode;
  statusMessage: string;
  attributes: TelemetryAttributes;
  resource: TelemetryAttributes;
  events: SpanEventRow[];
  source: SpanSource;
}

/** One row of `otel_logs`. */
export interface LogRow {
  environmentId: string;
  projectId: string;
  time: Date;
  observedTime: Date | null;
  /** OTLP SeverityNumber 0–24 (9–12 info, 13–16 warn, 17–20 error, 21–24 fatal). */
  severityNumber: number;
  severityText: string;
  /** A string body as is; any other body as its JSON text. */
  body: string;
  attributes: TelemetryAttributes;
  resource: TelemetryAttributes;
  serviceName: string;
  traceId: string | null;
  spanId: string | null;
}

export type MetricKind = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary';

/** One data point of one metric: one row of `otel_metric_points`. */
export interface MetricPointRow {
  environmentId: string;
  projectId: string;
  name: string;
  description: string;
  unit: string;
  kind: MetricKind;
  /** Sums only. */
  monotonic: boolean | null;
  /** Sums only: 1 delta, 2 cumulative. */
  temporality: number | null;
  time: Date;
  startTime: Date | null;
  /** Gauges and sums. */
  value: number | null;
  /** Histograms and summaries. */
  count: number | null;
  sum: number | null;
  min: number | null;
  max: number | null;
  /** Explicit-bucket histograms. */
  bucketCounts: number[] | null;
  explicitBounds: number[] | null;
  attributes: TelemetryAttributes;
  resource: TelemetryAttributes;
  serviceName: string;
}
