import type { Queryable } from '../../../platform/db/pool.ts';
import type { Notices } from './notices.ts';

export interface NewEvent {
  operationId: string;
  projectId: string | null;
  stepKey?: string | null;
  type: string;
  data?: Record<string, unknown>;
}

export interface EventRow {
  id: number;
  operation_id: string;
  project_id: string | null;
  step_key: string | null;
  type: string;
  data: Record<string, unknown>;
  created_at: Date;
}

/**
 * Appends events; listeners are told through `notices` once the transaction committed. Call it
 * inside a transaction that holds the stream lock (lock.ts).
 */
export async function appendEvents(
  tx: Queryable,
  events: NewEvent[],
  at: Date,
  notices: Notices,
): Promise<void> {
  if (events.length === 0) return;
  const { rows } = await tx.query<{ id: number; operation_id: string; project_id: string | null }>(
    `INSERT INTO operation_events (operation_id, project_id, step_key, type, data, created_at)
     SELECT o, p, s, t, d, $6 FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[]) AS e(o, p, s, t, d)
     RETURNING id, operation_id, project_id`,
    [
      events.map((e) => e.operationId),
      events.map((e) => e.projectId),
      events.map((e) => e.stepKey ?? null),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data ?? {})),
      at,
    ],
  );
  for (const r of rows) notices.event(r.operation_id, r.project_id, r.id);
}

export type EventScope = { operationId: string } | { projectId: string };

function scopeFilter(scope: EventScope): [string, string] {
  return 'operationId' in scope ? ['operation_id', scope.operationId] : ['project_id', scope.projectId];
}

/** Events of an operation or a project after `after`, oldest first; `step` as in matchesStep. */
export async function readEvents(
  db: Queryable,
  scope: EventScope,
  after: number,
  limit: number,
  step?: string,
): Promise<EventRow[]> {
  const [column, value] = scopeFilter(scope);
  const { rows } = await db.query<EventRow>(
    `SELECT id, operation_id, project_id, step_key, type, data, created_at FROM operation_events
     WHERE ${column} = $1 AND id > $2
       AND ($4::text IS NULL OR step_key IS NULL OR step_key = $4 OR starts_with(step_key, $4 || '/'))
     ORDER BY id LIMIT $3`,
    [value, after, limit, step ?? null],
  );
  return rows;
}

/** Whether an event belongs in a view of step `step`: its own, its fan-out children's, the operation's. */
export function matchesStep(stepKey: string | null, step: string | undefined): boolean {
  return !step || stepKey === null || stepKey === step || stepKey.startsWith(`${step}/`);
}

export async function lastEventId(db: Queryable, scope: EventScope): Promise<number> {
  const [column, value] = scopeFilter(scope);
  const { rows } = await db.query<{ id: number | null }>(
    `SELECT max(id) AS id FROM operation_events WHERE ${column} = $1`,
    [value],
  );
  return rows[0]?.id ?? 0;
}
