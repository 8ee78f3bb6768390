import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../../platform/db/pool.ts';

/** Test data for alert rules: an environment row and telemetry rows written straight with SQL. */

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** An environment that is not running (nothing supervises it); returns its id. */
export async function insertEnvironment(db: Queryable, projectId: string, name: string): Promise<string> {
  const kind = name.startsWith('preview/') ? 'preview' : name;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO environments (project_id, name, kind, branch, host_label, desired_state, status, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, 'stopped', 'stopped', now(), now()) RETURNING id`,
    [projectId, name, kind, kind === 'preview' ? name.slice(8) : null, `t${hex(8)}`],
  );
  return rows[0]!.id;
}

export interface TestSpan {
  at: Date;
  durationMs?: number;
  /** 2 = error. */
  status?: 0 | 1 | 2;
  /** 2 = server (default). */
  kind?: number;
}

/** Rows in one statement, so an evaluator running meanwhile sees all of them or none. */
async function insertRows(db: Queryable, table: string, columns: string[], rows: unknown[][]) {
  if (!rows.length) return;
  const values = rows.map((row, r) => `(${row.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
  await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')}`, rows.flat());
}

export async function insertSpans(db: Queryable, env: { id: string; projectId: string }, spans: TestSpan[]) {
  await insertRows(
    db,
    'otel_spans',
    [
      'environment_id',
      'project_id',
      'trace_id',
      'span_id',
      'name',
      'kind',
      'service_name',
      'start_time',
      'end_time',
      'duration_ns',
      'status_code',
    ],
    spans.map((s) => {
      const durationNs = Math.round((s.durationMs ?? 10) * 1e6);
      return [
        env.id,
        env.projectId,
        hex(16),
        hex(8),
        'GET /',
        s.kind ?? 2,
        'shop',
        s.at,
        new Date(s.at.getTime() + durationNs / 1e6),
        durationNs,
        s.status ?? 0,
      ];
    }),
  );
}

export async function insertLogs(
  db: Queryable,
  env: { id: string; projectId: string },
  logs: Array<{ at: Date; body: string; severity?: number }>,
) {
  await insertRows(
    db,
    'otel_logs',
    ['environment_id', 'project_id', 'time', 'severity_number', 'body', 'service_name'],
    logs.map((l) => [env.id, env.projectId, l.at, l.severity ?? 9, l.body, 'shop']),
  );
}

export async function insertMetricPoints(
  db: Queryable,
  env: { id: string; projectId: string },
  name: string,
  points: Array<{ at: Date; value: number; attributes?: Record<string, string> }>,
) {
  await insertRows(
    db,
    'otel_metric_points',
    ['environment_id', 'project_id', 'name', 'kind', 'time', 'value', 'attributes'],
    points.map((p) => [
      env.id,
      env.projectId,
      name,
      'gauge',
      p.at,
      p.value,
      JSON.stringify(p.attributes ?? {}),
    ]),
  );
}
