import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events/index.ts';
import { EVENTS_CHANNEL } from './events/channels.ts';
import { readEvents } from './events/event-store.ts';
import { findOperation, type OperationRow, TERMINAL } from './store.ts';
import { type EventView, toEventView } from './views.ts';

export interface FollowOptions {
  timeoutMs: number;
  bus?: EventBus;
  /** Called with the operation's new events, oldest first (from `after` on). */
  onEvents?: (events: EventView[]) => unknown;
  /** Events with ids above this are reported (default 0: all of them). */
  after?: number;
  /** Stops following (the operation goes on): resolves with `ended: false`. */
  signal?: AbortSignal;
}

const PAGE = 200;

/**
 * Follows an operation until it has ended, the time is up or the signal aborts, reporting its events
 * as they are written. Woken by the event bus (each event of the operation triggers one read, and
 * at least one a second in case a notice was lost); without a bus it re-reads every 200 ms.
 */
export async function followOperation(
  db: Queryable,
  id: string,
  options: FollowOptions,
): Promise<{ operation: OperationRow; ended: boolean }> {
  const deadline = Date.now() + options.timeoutMs;
  let cursor = options.after ?? 0;
  let wake = () => {};
  // Set by a notification that arrives while reading, so it is not missed.
  let dirty = false;
  const subscription = options.bus?.subscribe(EVENTS_CHANNEL, (payload) => {
    if (!payload.startsWith(`${id} `)) return;
    dirty = true;
    wake();
  });
  const onAbort = () => wake();
  options.signal?.addEventListener('abort', onAbort);
  const report = async () => {
    if (!options.onEvents) return;
    for (;;) {
      const rows = await readEvents(db, { operationId: id }, cursor, PAGE);
      if (!rows.length) return;
      cursor = rows[rows.length - 1]!.id;
      await options.onEvents(rows.map(toEventView));
      if (rows.length < PAGE) return;
    }
  };
  try {
    await subscription?.ready.catch(() => undefined);
    for (;;) {
      dirty = false;
      const operation = await findOperation(db, id);
      if (!operation) throw new NotFoundError(`No operation ${id}.`);
      await report();
      if (TERMINAL.includes(operation.status)) return { operation, ended: true };
      const remaining = deadline - Date.now();
      if (remaining <= 0 || options.signal?.aborted) return { operation, ended: false };
      await new Promise<void>((resolve) => {
        if (dirty || options.signal?.aborted) return resolve();
        const timer = setTimeout(resolve, Math.min(remaining, subscription ? 1_000 : 200));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    subscription?.();
  }
}
