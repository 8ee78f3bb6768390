// Rows of the environments and telemetry tables for the observability tests and the e2e tests,
// written straight with INSERT (tests only: deploys and the OTLP ingest write them in Orchard).
// Each insert is one statement, so an evaluator or reader running meanwhile sees all rows or none.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../platform/db/pool.ts';

export const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** An environment row of a project, not running (nothing supervises it); returns its id. */
export async function insertEnvironment(db: Queryable, projectId: string, name: string): Promise<string> {
  const kind = name.startsWith('preview/') ? 'preview' : name;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO environments (project_id, name, kind, branch, host_label, desired_state, status, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, 'stopped', 'stopped', now(), now()) RETURNING id`,
    [projectId, name, kind, kind === 'preview' ? name.slice(8) : null, `t${hex(8)}`],
  );
  return rows[0]!.id;
}

export interface Scope {
  environmentId: string;
  projectId: string;
}

export interface LogFixture {
  time: string | Date;
  body: string;
  severityNumber?: number;
  severityText?: string;
  attributes?: Record<string, unknown>;
  serviceName?: string;
  traceId?: string | null;
  spanId?: string | null;
}

export async function insertLogs(db: Queryable, scope: Scope, logs: LogFixture[]) {
  await db.query(
    `INSERT INTO otel_logs (environment_id, project_id, time, severity_number, severity_text, body,
                            attributes, service_name, trace_id, span_id)
     SELECT $1, $2, x.time, x.sev, x.sev_text, x.body, x.attributes, x.service, x.trace_id, x.span_id
     FROM jsonb_to_recordset($3::jsonb) AS x(time timestamptz, sev int, sev_text text, body text,
       attributes jsonb, service text, trace_id text, span_id text)`,
    [
      scope.environmentId,
      scope.projectId,
      JSON.stringify(
        logs.map((l) => ({
          time: l.time instanceof Date ? l.time.toISOString() : l.time,
          sev: l.severityNumber ?? 9,
          sev_text: l.severityText ?? '',
          body: l.body,
          attributes: l.attributes ?? {},
          service: l.serviceName ?? 'api',
          trace_id: l.traceId ?? null,
          span_id: l.spanId ?? null,
        })),
      ),
    ],
  );
}

export interface SpanFixture {
  traceId: string;
  spanId: string;
  parentSpanId?: string | null;
  name: string;
  start: string | Date;
  durationMs: number;
  serviceName?: string;
  statusCode?: number;
  statusMessage?: string;
  kind?: number;
  attributes?: Record<string, unknown>;
  events?: Array<{ name: string; time: string; attributes?: Record<string, unknown> }>;
  source?: 'app' | 'orchard';
}

export async function insertSpans(db: Queryable, scope: Scope, spans: SpanFixture[]) {
  await db.query(
    `INSERT INTO otel_spans (environment_id, project_id, trace_id, span_id, parent_span_id, name, kind,
                             service_name, start_time, end_time, duration_ns, status_code,
                             status_message, attributes, events, source)
     SELECT $1, $2, x.trace_id, x.span_id, x.parent, x.name, x.kind, x.service, x.start,
            x.start + x.duration_ms * interval '1 millisecond', (x.duration_ms * 1000000)::bigint,
            x.status, x.message, x.attributes, x.events, x.source
     FROM jsonb_to_recordset($3::jsonb) AS x(trace_id text, span_id text, parent text, name text,
       kind int, service text, start timestamptz, duration_ms float8, status int, message text,
       attributes jsonb, events jsonb, source text)`,
    [
      scope.environmentId,
      scope.projectId,
      JSON.stringify(
        spans.map((s) => ({
          trace_id: s.traceId,
          span_id: s.spanId,
          parent: s.parentSpanId ?? null,
          name: s.name,
          kind: s.kind ?? 1,
          service: s.serviceName ?? 'api',
          start: s.start instanceof Date ? s.start.toISOString() : s.start,
          duration_ms: s.durationMs,
          status: s.statusCode ?? 0,
          message: s.statusMessage ?? '',
          attributes: s.attributes ?? {},
          events: s.events ?? [],
          source: s.source ?? 'app',
        })),
      ),
    ],
  );
}

export interface MetricFixture {
  name: string;
  kind: 'gauge' | 'sum' | 'histogram';
  time: string | Date;
  unit?: string;
  startTime?: string | Date | null;
  monotonic?: boolean | null;
  temporality?: number | null;
  value?: number | null;
  count?: number | null;
  sum?: number | null;
  bucketCounts?: number[] | null;
  explicitBounds?: number[] | null;
  attributes?: Record<string, unknown>;
  serviceName?: string;
}

export async function insertMetricPoints(db: Queryable, scope: Scope, points: MetricFixture[]) {
  const iso = (d: string | Date | null | undefined) => (d instanceof Date ? d.toISOString() : (d ?? null));
  await db.query(
    `INSERT INTO otel_metric_points (environment_id, project_id, name, unit, kind, monotonic, temporality,
                                     time, start_time, value, count, sum, bucket_counts, explicit_bounds,
                                     attributes, service_name)
     SELECT $1, $2, x.name, x.unit, x.kind, x.monotonic, x.temporality, x.time, x.start_time, x.value,
            x.count, x.sum,
            (SELECT array_agg(v::bigint) FROM jsonb_array_elements_text(x.bucket_counts) v),
            (SELECT array_agg(v::float8) FROM jsonb_array_elements_text(x.explicit_bounds) v),
            x.attributes, x.service
     FROM jsonb_to_recordset($3::jsonb) AS x(name text, unit text, kind text, monotonic boolean,
       temporality int, time timestamptz, start_time timestamptz, value float8, count bigint, sum float8,
       bucket_counts jsonb, explicit_bounds jsonb, attributes jsonb, service text)`,
    [
      scope.environmentId,
      scope.projectId,
      JSON.stringify(
        points.map((p) => ({
          name: p.name,
          unit: p.unit ?? '',
          kind: p.kind,
          monotonic: p.monotonic ?? (p.kind === 'sum' ? true : null),
          temporality: p.temporality ?? (p.kind === 'sum' ? 2 : null),
          time: iso(p.time),
          start_time: iso(p.startTime),
          value: p.value ?? null,
          count: p.count ?? null,
          sum: p.sum ?? null,
          bucket_counts: p.bucketCounts ?? null,
          explicit_bounds: p.explicitBounds ?? null,
          attributes: p.attributes ?? {},
          service: p.serviceName ?? 'api',
        })),
      ),
    ],
  );
}

// The alert tests' shorthand: an environment as `{ id, projectId }`, rows of the app "shop".
type AlertEnv = { id: string; projectId: string };
const scopeOf = (env: AlertEnv): Scope => ({ environmentId: env.id, projectId: env.projectId });

export interface TestSpan {
  at: Date;
  durationMs?: number;
  /** 2 = error. */
  status?: 0 | 1 | 2;
  /** 2 = server (default). */
  kind?: number;
}

/** Spans named `GET /` (server spans unless `kind` says otherwise), each of a trace of its own. */
export async function insertServerSpans(db: Queryable, env: AlertEnv, spans: TestSpan[]) {
  await insertSpans(
    db,
    scopeOf(env),
    spans.map((s) => ({
      traceId: hex(16),
      spanId: hex(8),
      name: 'GET /',
      start: s.at,
      durationMs: s.durationMs ?? 10,
      kind: s.kind ?? 2,
      serviceName: 'shop',
      statusCode: s.status ?? 0,
    })),
  );
}

export async function insertLogLines(
  db: Queryable,
  env: AlertEnv,
  logs: Array<{ at: Date; body: string; severity?: number }>,
) {
  await insertLogs(
    db,
    scopeOf(env),
    logs.map((l) => ({ time: l.at, body: l.body, severityNumber: l.severity ?? 9, serviceName: 'shop' })),
  );
}

/** Gauge points of one metric. */
export async function insertGaugePoints(
  db: Queryable,
  env: AlertEnv,
  name: string,
  points: Array<{ at: Date; value: number; attributes?: Record<string, string> }>,
) {
  await insertMetricPoints(
    db,
    scopeOf(env),
    points.map((p) => ({ name, kind: 'gauge', time: p.at, value: p.value, attributes: p.attributes ?? {} })),
  );
}
