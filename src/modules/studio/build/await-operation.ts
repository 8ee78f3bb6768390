import type { Queryable } from '../../../platform/db/pool.ts';
import { UnavailableError } from '../../../platform/errors.ts';
import type { EventBus } from '../../../platform/events/index.ts';
import { type OperationRow, waitForOperation } from '../../operations/index.ts';

/**
 * Waits for another operation to end (woken by the event bus), honouring `signal` and a deadline;
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
