import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError, UnavailableError } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events/index.ts';
import { EVENTS_CHANNEL } from './events/channels.ts';
import { findOperation, type OperationRow, TERMINAL } from './store.ts';

/**
 * Resolves with the operation once it has succeeded, failed or been cancelled. Woken by the event
 * bus (each event of the operation triggers one status read, at least every second); without a bus
 * it re-reads every 200 ms.
 */
export async function waitForOperation(
  db: Queryable,
  id: string,
  options: { timeoutMs: number; bus?: EventBus },
): Promise<OperationRow> {
  const deadline = Date.now() + options.timeoutMs;
  let wake = () => {};
  // Set by a notification that arrives while the status is being read, so it is not missed.
  let dirty = false;
  const subscription = options.bus?.subscribe(EVENTS_CHANNEL, (payload) => {
    if (!payload.startsWith(`${id} `)) return;
    dirty = true;
    wake();
  });
  try {
    await subscription?.ready.catch(() => undefined);
    for (;;) {
      dirty = false;
      const op = await findOperation(db, id);
      if (!op) throw new NotFoundError(`No operation ${id}.`);
      if (TERMINAL.includes(op.status)) return op;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new UnavailableError(
          `Operation ${id} did not finish within ${options.timeoutMs} ms (it is ${op.status}).`,
        );
      }
      await new Promise<void>((resolve) => {
        if (dirty) return resolve();
        // The bus wakes us; the timer re-reads anyway in case a notice was lost.
        const timer = setTimeout(resolve, Math.min(remaining, subscription ? 1_000 : 200));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    subscription?.();
  }
}
