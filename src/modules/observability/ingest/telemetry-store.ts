import type { Queryable } from '../../../platform/db/pool.ts';
import type { LogRow, MetricPointRow, SpanRow } from '../telemetry-rows.ts';
import { timestampText } from './otlp-values.ts';

/**
 * The ingest's hot statements: one INSERT … SELECT FROM unnest(…) per table, a column per array,
 * so a batch of thousands of rows is one statement with a fixed number of parameters.
 */

const json = (value: unknown) => JSON.stringify(value);
const timeOrNull = (date: Date | null) => (date ? timestampText(date) : null);

export async function insertSpans(db: Queryable, rows: readonly SpanRow[]): Promise<void> {
  if (!rows.length) return;
  await db.query(
    `INSERT INTO otel_spans (environment_id, project_id, trace_id, span_id, parent_span_id, name, kind,
       service_name, start_time, end_time, duration_ns, status_code, status_message, attributes, resource,
       events, source)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],
       $7::smallint[], $8::text[], $9::timestamptz[], $10::timestamptz[], $11::bigint[], $12::smallint[],
       $13::text[], $14::jsonb[], $15::jsonb[], $16::jsonb[], $17::text[])`,
    [
      rows.map((r) => r.environmentId),
      rows.map((r) => r.projectId),
      rows.map((r) => r.traceId),
      rows.map((r) => r.spanId),
      rows.map((r) => r.parentSpanId),
      rows.map((r) => r.name),
      rows.map((r) => r.kind),
      rows.map((r) => r.serviceName),
      rows.map((r) => timestampText(r.startTime)),
      rows.map((r) => timestampText(r.endTime)),
      rows.map((r) => r.durationNs),
      rows.map((r) => r.statusCode),
      rows.map((r) => r.statusMessage),
      rows.map((r) => json(r.attributes)),
      jsonOncePerValue(rows, (r) => r.resource),
      rows.map((r) => json(r.events)),
      rows.map((r) => r.source),
    ],
  );
}

export async function insertLogs(db: Queryable, rows: readonly LogRow[]): Promise<void> {
  if (!rows.length) return;
  await db.query(
    `INSERT INTO otel_logs (environment_id, project_id, time, observed_time, severity_number, severity_text,
       body, attributes, resource, service_name, trace_id, span_id)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::smallint[],
       $6::text[], $7::text[], $8::jsonb[], $9::jsonb[], $10::text[], $11::text[], $12::text[])`,
    [
      rows.map((r) => r.environmentId),
      rows.map((r) => r.projectId),
      rows.map((r) => timestampText(r.time)),
      rows.map((r) => timeOrNull(r.observedTime)),
      rows.map((r) => r.severityNumber),
      rows.map((r) => r.severityText),
      rows.map((r) => r.body),
      rows.map((r) => json(r.attributes)),
      jsonOncePerValue(rows, (r) => r.resource),
      rows.map((r) => r.serviceName),
      rows.map((r) => r.traceId),
      rows.map((r) => r.spanId),
    ],
  );
}

export async function insertMetricPoints(db: Queryable, rows: readonly MetricPointRow[]): Promise<void> {
  if (!rows.length) return;
  // Bucket arrays differ in length from row to row, which a 2-D array parameter cannot hold: they
  // travel as JSON text and become arrays in SQL.
  await db.query(
    `INSERT INTO otel_metric_points (environment_id, project_id, name, description, unit, kind, monotonic,
       temporality, time, start_time, value, count, sum, min, max, bucket_counts, explicit_bounds,
       attributes, resource, service_name)
     SELECT environment_id, project_id, name, description, unit, kind, monotonic, temporality, time,
       start_time, value, count, sum, min, max,
       CASE WHEN buckets IS NULL THEN NULL
            ELSE ARRAY(SELECT jsonb_array_elements_text(buckets)::bigint) END,
       CASE WHEN bounds IS NULL THEN NULL
            ELSE ARRAY(SELECT jsonb_array_elements_text(bounds)::double precision) END,
       attributes, resource, service_name
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[],
       $8::smallint[], $9::timestamptz[], $10::timestamptz[], $11::double precision[], $12::bigint[],
       $13::double precision[], $14::double precision[], $15::double precision[], $16::jsonb[], $17::jsonb[],
       $18::jsonb[], $19::jsonb[], $20::text[])
       AS t(environment_id, project_id, name, description, unit, kind, monotonic, temporality, time,
            start_time, value, count, sum, min, max, buckets, bounds, attributes, resource, service_name)`,
    [
      rows.map((r) => r.environmentId),
      rows.map((r) => r.projectId),
      rows.map((r) => r.name),
      rows.map((r) => r.description),
      rows.map((r) => r.unit),
      rows.map((r) => r.kind),
      rows.map((r) => r.monotonic),
      rows.map((r) => r.temporality),
      rows.map((r) => timestampText(r.time)),
      rows.map((r) => timeOrNull(r.startTime)),
      rows.map((r) => doubleText(r.value)),
      rows.map((r) => r.count),
      rows.map((r) => doubleText(r.sum)),
      rows.map((r) => doubleText(r.min)),
      rows.map((r) => doubleText(r.max)),
      rows.map((r) => (r.bucketCounts ? json(r.bucketCounts) : null)),
      rows.map((r) => (r.explicitBounds ? json(r.explicitBounds.map(doubleText)) : null)),
      rows.map((r) => json(r.attributes)),
      jsonOncePerValue(rows, (r) => r.resource),
      rows.map((r) => r.serviceName),
    ],
  );
}

/** Infinity and NaN as PostgreSQL's float text ('Infinity', 'NaN'). */
function doubleText(value: number | null): string | null {
  if (value === null) return null;
  return Number.isFinite(value)
    ? String(value)
    : Number.isNaN(value)
      ? 'NaN'
      : value > 0
        ? 'Infinity'
        : '-Infinity';
}

/** Rows of one request share their resource object: stringify it once. */
function jsonOncePerValue<Row>(rows: readonly Row[], pick: (row: Row) => unknown): string[] {
  let last: unknown;
  let text = '';
  return rows.map((row) => {
    const value = pick(row);
    if (value !== last) {
      last = value;
      text = json(value);
    }
    return text;
  });
}
