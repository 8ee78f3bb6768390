import type { Queryable } from '../../platform/db/pool.ts';
import type { StepError } from './errors.ts';

export type OperationStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'blocked' | 'ready' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export const TERMINAL: readonly OperationStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface OperationRow {
  id: string;
  kind: string;
  status: OperationStatus;
  input: unknown;
  output: unknown;
  error: (StepError & { step?: string }) | null;
  actor_id: string | null;
  actor_name: string;
  project_id: string | null;
  /** Added where read for display (with-project-slugs.ts). */
  project_slug?: string | null;
  parent_operation_id: string | null;
  idempotency_key: string | null;
  trace_id: string;
  cancel_requested: boolean;
  run: number;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface StepRow {
  id: number;
  operation_id: string;
  key: string;
  handler: string;
  parent_key: string | null;
  depends_on: string[];
  status: StepStatus;
  attempt: number;
  max_attempts: number;
  run_after: Date;
  queue: string;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  timeout_ms: number | null;
  input: unknown;
  output: unknown;
  error: StepError | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export async function findOperation(db: Queryable, id: string): Promise<OperationRow | undefined> {
  const { rows } = await db.query<OperationRow>('SELECT * FROM operations WHERE id = $1', [id]);
  return rows[0];
}

export async function listLiveOperationIds(db: Queryable, ids: string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM operations WHERE id = ANY($1::uuid[]) AND status IN ('queued', 'running')`,
    [ids],
  );
  return rows.map((r) => r.id);
}

export async function listSteps(db: Queryable, operationId: string): Promise<StepRow[]> {
  const { rows } = await db.query<StepRow>('SELECT * FROM steps WHERE operation_id = $1 ORDER BY id', [
    operationId,
  ]);
  return rows;
}

export interface OperationFilter {
  projectId?: string;
  /** Members: only operations of these projects (the ones they belong to). */
  inProjects?: string[];
  status?: OperationStatus;
  kind?: string;
  limit: number;
  after?: [string, string];
}

export async function listOperationRows(db: Queryable, f: OperationFilter): Promise<OperationRow[]> {
  const { rows } = await db.query<OperationRow>(
    `SELECT o.* FROM operations o
     WHERE ($1::uuid IS NULL OR o.project_id = $1)
       AND ($2::uuid[] IS NULL OR o.project_id = ANY($2::uuid[]))
       AND ($3::text IS NULL OR o.status = $3)
       AND ($4::text IS NULL OR o.kind = $4)
       AND ($6::timestamptz IS NULL OR (o.created_at, o.id) < ($6::timestamptz, $7::uuid))
     ORDER BY o.created_at DESC, o.id DESC LIMIT $5`,
    [
      f.projectId ?? null,
      f.inProjects ?? null,
      f.status ?? null,
      f.kind ?? null,
      f.limit,
      f.after?.[0] ?? null,
      f.after?.[1] ?? null,
    ],
  );
  return rows;
}

/** Outputs of steps `keys` and of their fan-out descendants, by key. */
export async function loadOutputs(
  db: Queryable,
  operationId: string,
  keys: string[],
): Promise<Record<string, unknown>> {
  if (keys.length === 0) return {};
  const prefixes = keys.map((k) => `${k.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`);
  const { rows } = await db.query<{ key: string; output: unknown }>(
    `SELECT key, output FROM steps
     WHERE operation_id = $1 AND status = 'succeeded' AND (key = ANY($2) OR key LIKE ANY($3))`,
    [operationId, keys, prefixes],
  );
  return Object.fromEntries(rows.map((r) => [r.key, r.output]));
}

/** What a project's newest operation says at a glance (no input, output or error). */
export interface LatestOperationRow {
  id: string;
  project_id: string;
  kind: string;
  status: OperationStatus;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

/**
 * Per project, its newest operation (of `kinds` when given), in one statement: each project is one
 * probe of `operations_project_idx`, however many operations it has.
 */
export async function latestOperationRows(
  db: Queryable,
  projectIds: string[],
  kinds: string[] | null,
): Promise<LatestOperationRow[]> {
  const { rows } = await db.query<LatestOperationRow>(
    `SELECT o.* FROM unnest($1::uuid[]) AS p(id)
     CROSS JOIN LATERAL (
       SELECT id, project_id, kind, status, created_at, started_at, finished_at FROM operations
       WHERE project_id = p.id AND ($2::text[] IS NULL OR kind = ANY($2::text[]))
       ORDER BY created_at DESC, id DESC LIMIT 1
     ) o`,
    [projectIds, kinds],
  );
  return rows;
}

/** One part (`path` into its JSON) of the output of step `key` of each operation, where it succeeded. */
export async function stepOutputParts(
  db: Queryable,
  operationIds: string[],
  key: string,
  path: string[],
): Promise<Array<{ operation_id: string; part: unknown }>> {
  const { rows } = await db.query<{ operation_id: string; part: unknown }>(
    `SELECT operation_id, output #> $3::text[] AS part FROM steps
     WHERE operation_id = ANY($1::uuid[]) AND key = $2 AND status = 'succeeded'`,
    [operationIds, key, path],
  );
  return rows;
}
