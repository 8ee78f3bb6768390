import type { Clock } from '../../../platform/clock.ts';
import type { Db, Queryable } from '../../../platform/db/pool.ts';
import { STEPS_CHANNEL } from '../events/channels.ts';
import { appendEvents, type NewEvent } from '../events/event-store.ts';
import { Notices, transact } from '../events/notices.ts';
import { lockStreams, streamKey } from './lock.ts';

/** A parked step is due: its deadline passed, or the operation it awaits has ended (or is gone). */
const DUE = `s.status = 'waiting' AND s.parked_until IS NOT NULL
  AND (s.parked_until <= $2 OR (s.awaits_operation IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM operations a WHERE a.id = s.awaits_operation AND a.status IN ('queued', 'running'))))`;

interface Woken {
  key: string;
  queue: string;
}

/** Readies the parked steps `which` selects (locked in id order) and writes their `step` events. */
async function ready(
  tx: Queryable,
  op: { operationId: string; projectId: string | null },
  which: string,
  values: unknown[],
  now: Date,
  notices: Notices,
  cause: Record<string, unknown>,
): Promise<Woken[]> {
  const { rows } = await tx.query<Woken>(
    `UPDATE steps SET status = 'ready', run_after = $2, parked_until = NULL, awaits_operation = NULL, updated_at = $2
     WHERE id IN (SELECT s.id FROM steps s WHERE s.operation_id = $1 AND ${which} ORDER BY s.id FOR UPDATE)
       AND EXISTS (SELECT 1 FROM operations o WHERE o.id = $1 AND o.status IN ('queued', 'running')
                   AND NOT o.cancel_requested)
     RETURNING key, queue`,
    [op.operationId, now, ...values],
  );
  const events: NewEvent[] = rows.map((r) => ({
    ...op,
    stepKey: r.key,
    type: 'step',
    data: { status: 'ready', woken: cause },
  }));
  await appendEvents(tx, events, now, notices);
  for (const r of rows) notices.add(STEPS_CHANNEL, r.queue);
  return rows;
}

/**
 * Wakes a parked step (StepContext.park) now. Call it inside the transaction that records what the
 * step waited for (a person's decision): it takes the operation's stream lock — the lock a parking
 * step checks its `readyIf` under, so the wake is never lost — and its NOTIFYs are sent when that
 * transaction commits. False when the step is not parked: still running (it will see the record as
 * it parks), or ended.
 */
export async function wakeStep(
  tx: Queryable,
  target: { operationId: string; stepKey: string; reason?: string },
  clock: Clock,
): Promise<boolean> {
  const { rows: ops } = await tx.query<{ project_id: string | null }>(
    'SELECT project_id FROM operations WHERE id = $1',
    [target.operationId],
  );
  if (!ops[0]) return false;
  const op = { operationId: target.operationId, projectId: ops[0].project_id };
  await lockStreams(tx, [streamKey(op)]);
  const notices = new Notices();
  const now = clock.now();
  const woken = await ready(
    tx,
    op,
    `s.key = $3 AND s.status = 'waiting' AND s.parked_until IS NOT NULL`,
    [target.stepKey],
    now,
    notices,
    { by: target.reason ?? 'wake' },
  );
  if (!notices.empty)
    await tx.query(
      'SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) AS n(c, p)',
      notices.toArrays(),
    );
  return woken.length > 0;
}

/**
 * Wakes the parked steps that are due — their deadline passed, or the operation they await ended —
 * one operation per transaction, under its stream lock. Workers run it with the reaper; returns
 * how many steps it made ready.
 */
export async function wakeDueSteps(db: Db, clock: Clock, limit = 100): Promise<number> {
  const now = clock.now();
  const { rows: due } = await db.query<{ operation_id: string; project_id: string | null }>(
    `SELECT DISTINCT s.operation_id, s.project_id FROM steps s WHERE $1::int > 0 AND ${DUE} LIMIT $1`,
    [limit, now],
  );
  let woken = 0;
  for (const d of due) {
    const op = { operationId: d.operation_id, projectId: d.project_id };
    woken += (
      await transact(db, async (tx, notices) => {
        await lockStreams(tx, [streamKey(op)]);
        return ready(tx, op, DUE, [], now, notices, { by: 'due' });
      })
    ).length;
  }
  return woken;
}

/** Whether any step is parked until another operation ends (the pool then watches for it closely). */
export async function hasStepsAwaitingOperations(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM steps WHERE status = 'waiting' AND parked_until IS NOT NULL
                    AND awaits_operation IS NOT NULL) AS any`,
  );
  return rows[0]?.any ?? false;
}
