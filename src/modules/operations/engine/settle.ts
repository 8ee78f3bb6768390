import type { Queryable } from '../../../platform/db/pool.ts';
import type { StepError } from '../errors.ts';
import { CANCEL_CHANNEL } from '../events/channels.ts';
import type { NewEvent } from '../events/event-store.ts';
import type { Notices } from '../events/notices.ts';
import type { OperationChange } from './define.ts';
import type { Registry } from './registry.ts';

/**
 * What a settling transaction works on: it holds the stream lock, collects events to append and
 * notices to send after commit. (The success path lives in SQL: orchard_complete_steps.)
 */
export interface Settling {
  tx: Queryable;
  now: Date;
  operationId: string;
  projectId: string | null;
  events: NewEvent[];
  notices: Notices;
  /** Where the operation's workflow, and so its lifecycle hooks, are found. */
  registry: Registry;
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

type EndError = StepError & { step?: string };

/**
 * Ends an active operation as failed or cancelled. Every pending step ends with it: ready and
 * blocked steps, and fan-out parents waiting on their children, are cancelled (rows locked in id
 * order; claimers and completers change them only under the stream lock this transaction holds).
 * Running handlers are told to stop through NOTIFY and their heartbeats, and their steps end as
 * soon as they have (or when the reaper finds their lease expired). Then the workflow's onEnd
 * hook runs in this transaction. Returns false when the operation was not active.
 */
export async function endOperation(
  s: Settling,
  status: 'failed' | 'cancelled',
  error: EndError | null,
): Promise<boolean> {
  const { rows } = await s.tx.query<{ run: number; kind: string; input: unknown }>(
    `UPDATE operations SET status = $2, error = $3, finished_at = $4, updated_at = $4,
       cancel_requested = cancel_requested OR $2 = 'cancelled'
     WHERE id = $1 AND status IN ('queued', 'running') RETURNING run, kind, input`,
    [s.operationId, status, error ? JSON.stringify(error) : null, s.now],
  );
  const ended = rows[0];
  if (!ended) return false;
  const cancelled = await s.tx.query<{ key: string }>(
    `UPDATE steps SET status = 'cancelled', finished_at = $2, updated_at = $2
     WHERE id IN (SELECT id FROM steps WHERE operation_id = $1 AND status IN ('ready', 'blocked', 'waiting')
                  ORDER BY id FOR UPDATE)
     RETURNING key`,
    [s.operationId, s.now],
  );
  for (const r of cancelled.rows) stepEvent(s, r.key, { status: 'cancelled' });
  await runHook(s, 'onEnd', { ...ended, status, error });
  s.events.push({
    operationId: s.operationId,
    projectId: s.projectId,
    type: 'complete',
    data: { status, run: ended.run, ...(error ? { error } : {}) },
  });
  s.notices.add(CANCEL_CHANNEL, s.operationId);
  return true;
}

/**
 * Runs a workflow's lifecycle hook inside the settling transaction. onEnd cannot stop an operation
 * from ending: its writes are rolled back to a savepoint and its error becomes an `error` event.
 * onRetry's error propagates and refuses the retry.
 */
export async function runHook(
  s: Settling,
  hook: 'onEnd' | 'onRetry',
  op: { kind: string; input: unknown; run: number; status: 'failed' | 'cancelled'; error: EndError | null },
) {
  const fn = s.registry.workflow(op.kind)?.options[hook];
  if (!fn) return;
  const change: OperationChange = { id: s.operationId, projectId: s.projectId, at: s.now, ...op };
  if (hook === 'onRetry') return fn(s.tx, change);
  await s.tx.query('SAVEPOINT orchard_on_end');
  try {
    await fn(s.tx, change);
    await s.tx.query('RELEASE SAVEPOINT orchard_on_end');
  } catch (e) {
    await s.tx.query('ROLLBACK TO SAVEPOINT orchard_on_end');
    s.events.push({
      operationId: s.operationId,
      projectId: s.projectId,
      type: 'error',
      data: {
        message: `The ${op.kind} workflow could not record how the operation ended: ${(e as Error).message}`,
        name: (e as Error).name,
        hook,
      },
    });
  }
}

/**
 * The operation log's line for a failed attempt: an `error` event naming the step (its key), with
 * the message (never a stack) and whether, and when, it will be tried again.
 */
export function attemptFailed(
  s: Settling,
  job: { key: string; attempt: number; maxAttempts: number },
  error: Pick<StepError, 'message' | 'name'>,
  retryAt?: Date,
) {
  s.events.push({
    operationId: s.operationId,
    projectId: s.projectId,
    stepKey: job.key,
    type: 'error',
    data: {
      message: error.message,
      name: error.name,
      attempt: job.attempt,
      maxAttempts: job.maxAttempts,
      willRetry: retryAt !== undefined,
      ...(retryAt ? { retryAt: retryAt.toISOString() } : {}),
    },
  });
}
