import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { UnavailableError } from '../../../platform/errors.ts';
import type { EventBus } from '../../../platform/events/index.ts';
import {
  findOperation,
  NonRetryableError,
  type OperationRow,
  type StepContext,
  waitForOperation,
} from '../../operations/index.ts';

/**
 * The ended operation `id`; while it runs, the step parks (ctx.park) until it ends, holding no
 * worker slot, so builds waiting for their pipelines and deploys cannot take every slot those need.
 * Woken, the handler runs again from the top: what it started before waiting it must find rather
 * than start again. The wait is bounded by `timeoutMs` from the awaited operation's creation.
 */
export async function parkUntilEnded(
  deps: { db: Queryable; clock: Clock },
  ctx: StepContext<unknown>,
  id: string,
  options: { timeoutMs: number; what: string },
): Promise<OperationRow> {
  const operation = await findOperation(deps.db, id);
  if (!operation) throw new NonRetryableError(`${options.what} (operation ${id}) no longer exists.`);
  if (operation.status !== 'queued' && operation.status !== 'running') return operation;
  const deadline = new Date(operation.created_at.getTime() + options.timeoutMs);
  if (deadline <= deps.clock.now())
    throw new UnavailableError(
      `${options.what} (operation ${id}) did not finish within ${Math.round(options.timeoutMs / 1000)} s.`,
    );
  return ctx.park({ operationId: id, until: deadline, reason: options.what });
}

/**
 * Waits for another operation to end (woken by the event bus), holding the worker slot: for a
 * step that cannot be run again from the top (it started the operation it waits for);
 * `onTick` runs about every `tickMs` while it waits (progress reports).
 */
export async function awaitOperation(
  db: Queryable,
  bus: EventBus,
  id: string,
  options: { signal: AbortSignal; timeoutMs: number; tickMs?: number; onTick?: () => Promise<void> },
): Promise<OperationRow> {
  const deadline = Date.now() + options.timeoutMs;
  const tick = options.tickMs ?? 1_000;
  for (;;) {
    options.signal.throwIfAborted();
    const remaining = deadline - Date.now();
    if (remaining <= 0)
      throw new UnavailableError(
        `Operation ${id} did not finish within ${Math.round(options.timeoutMs / 1000)} s.`,
      );
    try {
      return await waitForOperation(db, id, { timeoutMs: Math.min(tick, remaining), bus });
    } catch (error) {
      if (!(error instanceof UnavailableError)) throw error;
    }
    await options.onTick?.();
  }
}
