import type { Queryable } from '../../platform/db/pool.ts';
import { CANCEL_CHANNEL } from './channels.ts';
import type { NewEvent } from './event-store.ts';
import type { Notices } from './notices.ts';

/**
 * What a settling transaction works on: it holds the stream lock, collects events to append and
 * notices to send after commit. (The success path lives in SQL: orchard_complete_step.)
 */
export interface Settling {
  tx: Queryable;
  now: Date;
  operationId: string;
  projectId: string | null;
  events: NewEvent[];
  notices: Notices;
}

/** Records a step state change as a `step` event. */
export function stepEvent(s: Settling, key: string, data: Record<string, unknown>) {
  s.events.push({ operationId: s.operationId, projectId: s.projectId, stepKey: key, type: 'step', data });
}

/** Succeeds the operation when every step has succeeded (see orchard_complete_if_done). */
export async function completeIfDone(s: Settling) {
  const { rows } = await s.tx.query<{ id: number | null }>(
    'SELECT orchard_complete_if_done($1, $2, $3) AS id',
    [s.operationId, s.projectId, s.now],
  );
  if (rows[0]?.id) s.notices.event(s.operationId, s.projectId, rows[0].id);
}

/**
 * Ends an active operation as failed or cancelled: pending steps are cancelled (a claimer updates
 * rows only under the stream lock this transaction holds, so it sees the cancellation; a row that
 * is locked anyway is skipped and recorded cancelled by whoever claims it), running handlers are
 * told to stop through NOTIFY and their heartbeats. Returns false when the operation was not active.
 */
export async function endOperation(
  s: Settling,
  status: 'failed' | 'cancelled',
  error: Record<string, unknown> | null,
): Promise<boolean> {
  const { rows } = await s.tx.query<{ run: number }>(
    `UPDATE operations SET status = $2, error = $3, finished_at = $4, updated_at = $4,
       cancel_requested = cancel_requested OR $2 = 'cancelled'
     WHERE id = $1 AND status IN ('queued', 'running') RETURNING run`,
    [s.operationId, status, error ? JSON.stringify(error) : null, s.now],
  );
  const ended = rows[0];
  if (!ended) return false;
  const cancelled = await s.tx.query<{ key: string }>(
    `UPDATE steps SET status = 'cancelled', finished_at = $2, updated_at = $2
     WHERE id IN (SELECT id FROM steps WHERE operation_id = $1 AND status IN ('ready', 'blocked')
                  ORDER BY id FOR UPDATE SKIP LOCKED)
     RETURNING key`,
    [s.operationId, s.now],
  );
  for (const r of cancelled.rows) stepEvent(s, r.key, { status: 'cancelled' });
  s.events.push({
    operationId: s.operationId,
    projectId: s.projectId,
    type: 'complete',
    data: { status, run: ended.run, ...(error ? { error } : {}) },
  });
  s.notices.add(CANCEL_CHANNEL, s.operationId);
  return true;
}
