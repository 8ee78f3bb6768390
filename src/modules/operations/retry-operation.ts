import { type Clock, systemClock } from '../../platform/clock.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/pool.ts';
import { ConflictError } from '../../platform/errors.ts';
import { recordAudit } from '../identity/index.ts';
import { requireOperation } from './access.ts';
import { STEPS_CHANNEL } from './channels.ts';
import { appendEvents } from './event-store.ts';
import { lockStreams, streamKey } from './lock.ts';
import { transact } from './notices.ts';
import { completeIfDone, type Settling, stepEvent } from './settle.ts';
import { findOperation, type OperationRow, type StepStatus } from './store.ts';

const DEPS_DONE = `NOT EXISTS (SELECT 1 FROM steps d WHERE d.operation_id = s.operation_id
                                 AND d.key = ANY(s.depends_on) AND d.status <> 'succeeded')`;

/**
 * Runs a failed or cancelled operation again: only steps that did not succeed run (with fresh
 * attempts); succeeded steps keep their memoized outputs. The operation's `run` goes up by one.
 */
export async function retryOperation(
  db: Db,
  ctx: RequestContext,
  id: string,
  options: { clock?: Clock } = {},
): Promise<OperationRow> {
  const op = await requireOperation(db, ctx.actor, id, 'developer');
  const ref = { operationId: op.id, projectId: op.project_id };
  return transact(db, async (tx, notices) => {
    await lockStreams(tx, [streamKey(ref)]);
    const now = (options.clock ?? systemClock).now();
    const s: Settling = { tx, now, ...ref, events: [], notices };
    const { rows } = await tx.query<{ run: number }>(
      `UPDATE operations SET status = 'running', run = run + 1, cancel_requested = false, error = NULL, output = NULL,
         finished_at = NULL, updated_at = $2
       WHERE id = $1 AND status IN ('failed', 'cancelled') RETURNING run`,
      [id, now],
    );
    if (!rows[0]) {
      const current = (await findOperation(tx, id))!;
      throw new ConflictError(
        `Operation ${id} is ${current.status}; only failed or cancelled operations can be retried.`,
      );
    }
    s.events.push({ ...ref, type: 'operation', data: { status: 'running', run: rows[0].run, retry: true } });
    const reset = await tx.query<{ key: string; status: StepStatus; queue: string }>(
      `UPDATE steps s SET status = CASE WHEN ${DEPS_DONE} THEN 'ready' ELSE 'blocked' END, attempt = 0, error = NULL,
         run_after = $2, lease_owner = NULL, lease_expires_at = NULL, started_at = NULL, finished_at = NULL, updated_at = $2
       WHERE s.operation_id = $1 AND s.status IN ('failed', 'cancelled') RETURNING s.key, s.status, s.queue`,
      [id, now],
    );
    // Steps left blocked when the operation ended may be runnable now.
    const unblocked = await tx.query<{ key: string; status: StepStatus; queue: string }>(
      `UPDATE steps s SET status = 'ready', run_after = $2, updated_at = $2
       WHERE s.operation_id = $1 AND s.status = 'blocked' AND ${DEPS_DONE} RETURNING s.key, s.status, s.queue`,
      [id, now],
    );
    const changed = [
      ...reset.rows.filter((r) => !unblocked.rows.some((u) => u.key === r.key)),
      ...unblocked.rows,
    ];
    for (const r of changed) stepEvent(s, r.key, { status: r.status, attempt: 0 });
    for (const r of changed) if (r.status === 'ready') notices.add(STEPS_CHANNEL, r.queue);
    // Events first: orchard_complete_if_done appends the `complete` event after them.
    await appendEvents(tx, s.events, now, notices);
    await completeIfDone(s);
    await recordAudit(tx, ctx, {
      action: 'operation.retry',
      target: { type: 'operation', id },
      projectId: op.project_id,
      data: { kind: op.kind, run: rows[0].run },
    });
    return (await findOperation(tx, id))!;
  });
}
