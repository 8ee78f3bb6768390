import { type Clock, systemClock } from '../../platform/clock.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/pool.ts';
import { ConflictError } from '../../platform/errors.ts';
import { recordAudit } from '../identity/index.ts';
import { requireOperation } from './access.ts';
import { lockStreams, streamKey } from './engine/lock.ts';
import type { Registry } from './engine/registry.ts';
import { completeIfDone, runHook, type Settling, stepEvent } from './engine/settle.ts';
import { STEPS_CHANNEL } from './events/channels.ts';
import { appendEvents } from './events/event-store.ts';
import { transact } from './events/notices.ts';
import { findOperation, type OperationRow, type StepStatus } from './store.ts';
import { withProjectSlug } from './with-project-slugs.ts';

const DEPS_DONE = `NOT EXISTS (SELECT 1 FROM steps d WHERE d.operation_id = s.operation_id
                                 AND d.key = ANY(s.depends_on) AND d.status <> 'succeeded')`;

/** Steps of operation $1 in `statuses`, locked in id order (as every multi-row update of steps). */
const locked = (statuses: string) =>
  `SELECT id FROM steps WHERE operation_id = $1 AND status IN (${statuses}) ORDER BY id FOR UPDATE`;

/**
 * Runs a failed or cancelled operation again: only steps that did not succeed run (with fresh
 * attempts); succeeded steps keep their memoized outputs, and a fan-out parent whose handler had
 * returned waits for its children again instead of running twice. The operation's `run` goes up
 * by one. The workflow's onRetry hook may refuse (its error propagates; nothing changes).
 */
export async function retryOperation(
  db: Db,
  registry: Registry,
  ctx: RequestContext,
  id: string,
  options: { clock?: Clock } = {},
): Promise<OperationRow> {
  const op = await requireOperation(db, ctx.actor, id, 'developer');
  const ref = { operationId: op.id, projectId: op.project_id };
  return transact(db, async (tx, notices) => {
    await lockStreams(tx, [streamKey(ref)]);
    const now = (options.clock ?? systemClock).now();
    const s: Settling = { tx, now, ...ref, events: [], notices, registry };
    const before = (await findOperation(tx, id))!;
    const { rows } = await tx.query<{ run: number }>(
      `UPDATE operations SET status = 'running', run = run + 1, cancel_requested = false, error = NULL, output = NULL,
         finished_at = NULL, updated_at = $2
       WHERE id = $1 AND status IN ('failed', 'cancelled') RETURNING run`,
      [id, now],
    );
    if (!rows[0]) {
      throw new ConflictError(
        `Operation ${id} is ${before.status}; only failed or cancelled operations can be retried.`,
      );
    }
    const run = rows[0].run;
    await runHook(s, 'onRetry', {
      kind: before.kind,
      input: before.input,
      run,
      status: before.status as 'failed' | 'cancelled',
      error: before.error,
    });
    s.events.push({ ...ref, type: 'operation', data: { status: 'running', run, retry: true } });
    const changed = new Map<string, { status: StepStatus; queue: string }>();
    const record = (r: { key: string; status: StepStatus; queue: string }) => changed.set(r.key, r);
    // A step cancelled after its handler had returned (its output is stored) is a fan-out parent
    // that was waiting on its children: it waits for them again.
    const reset = await tx.query<{ key: string; status: StepStatus; queue: string }>(
      `UPDATE steps s SET
         status = CASE WHEN s.status = 'cancelled' AND s.output IS NOT NULL THEN 'waiting'
                       WHEN ${DEPS_DONE} THEN 'ready' ELSE 'blocked' END,
         attempt = CASE WHEN s.status = 'cancelled' AND s.output IS NOT NULL THEN s.attempt ELSE 0 END,
         error = NULL, run_after = $2, lease_owner = NULL, lease_expires_at = NULL, finished_at = NULL, updated_at = $2,
         parked_until = NULL, awaits_operation = NULL,
         started_at = CASE WHEN s.status = 'cancelled' AND s.output IS NOT NULL THEN s.started_at END
       WHERE s.id IN (${locked(`'failed', 'cancelled'`)}) RETURNING s.key, s.status, s.queue`,
      [id, now],
    );
    for (const r of reset.rows) record(r);
    // A parent whose children have all succeeded meanwhile (one finished after the operation had
    // ended) succeeds now; and so on up the tree.
    for (;;) {
      const done = await tx.query<{ key: string; status: StepStatus; queue: string }>(
        `UPDATE steps s SET status = 'succeeded', finished_at = $2, updated_at = $2
         WHERE s.id IN (${locked(`'waiting'`)}) AND s.parked_until IS NULL
           AND NOT EXISTS (SELECT 1 FROM steps k WHERE k.operation_id = s.operation_id AND k.parent_key = s.key
                           AND k.status <> 'succeeded')
         RETURNING s.key, s.status, s.queue`,
        [id, now],
      );
      if (!done.rowCount) break;
      for (const r of done.rows) record(r);
    }
    // Steps whose dependencies have all succeeded by now are runnable.
    const unblocked = await tx.query<{ key: string; status: StepStatus; queue: string }>(
      `UPDATE steps s SET status = 'ready', run_after = $2, updated_at = $2
       WHERE s.id IN (${locked(`'blocked'`)}) AND ${DEPS_DONE} RETURNING s.key, s.status, s.queue`,
      [id, now],
    );
    for (const r of unblocked.rows) record(r);
    for (const [key, r] of changed) {
      stepEvent(
        s,
        key,
        ['ready', 'blocked'].includes(r.status) ? { status: r.status, attempt: 0 } : { status: r.status },
      );
      if (r.status === 'ready') notices.add(STEPS_CHANNEL, r.queue);
    }
    // Events first: orchard_complete_if_done appends the `complete` event after them.
    await appendEvents(tx, s.events, now, notices);
    await completeIfDone(s);
    await recordAudit(tx, ctx, {
      action: 'operation.retry',
      target: { type: 'operation', id },
      projectId: op.project_id,
      data: { kind: op.kind, run },
    });
    return withProjectSlug(tx, (await findOperation(tx, id))!);
  });
}
