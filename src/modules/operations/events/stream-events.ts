import type { Queryable } from '../../../platform/db/pool.ts';
import type { SseStream } from '../../../platform/http/sse.ts';
import { toEventView } from '../views.ts';
import type { EventFeeds } from './event-feed.ts';
import { type EventRow, type EventScope, matchesStep, readEvents } from './event-store.ts';

export interface StreamEventsOptions {
  db: Queryable;
  feeds: EventFeeds;
  scope: EventScope;
  /** Send events with ids above this (Last-Event-ID / ?after=). */
  after: number;
  /** Operation streams end after the `complete` event of this run (later retries raise it). */
  endAfterRun?: number;
  /** The operation had finished when the client connected: end once caught up. */
  endWhenCaughtUp?: boolean;
  pageSize?: number;
  /** Only this step's events (and its children's), with the operation's own. */
  step?: string;
  /** Called each time the client's buffer overflowed (metrics). */
  onOverflow?: () => void;
}

/**
 * Feeds one SSE client: replays from the database after `after`, then follows live events from the
 * shared feed. The client's buffer is bounded by the SSE stream; when it overflows (a slow reader),
 * the buffer is dropped and the client is served from the database again, from the last event that
 * reached its socket, until it has caught up — so memory stays flat and no event is lost or repeated.
 */
export async function streamEvents(sse: SseStream, options: StreamEventsOptions): Promise<void> {
  const pageSize = options.pageSize ?? 500;
  let cursor = options.after;
  let live = false;
  let catchingUp = false;
  let seenLive = 0;
  let run = options.endAfterRun;
  let overflowed = false;

  const deliver = (rows: EventRow[]) => {
    for (const row of rows) {
      if (row.id <= cursor || sse.closed) continue;
      if (!matchesStep(row.step_key, options.step)) {
        cursor = row.id;
        continue;
      }
      const ok = sse.send({ id: row.id, data: JSON.stringify(toEventView(row)) });
      if (!ok) return false;
      cursor = row.id;
      if (run === undefined) continue;
      const eventRun = Number(row.data.run);
      if (row.type === 'operation' && eventRun > run) run = eventRun;
      if (row.type === 'complete' && eventRun === run) {
        sse.close();
        return true;
      }
    }
    return true;
  };

  const catchUp = async () => {
    if (catchingUp) return;
    catchingUp = true;
    live = false;
    try {
      while (!sse.closed) {
        overflowed = false;
        await sse.drained();
        if (sse.closed) return;
        const rows = await readEvents(options.db, options.scope, cursor, pageSize);
        if (!deliver(rows)) continue;
        // Live events seen meanwhile were not sent: read again unless these rows covered them.
        if (!overflowed && rows.length < pageSize && cursor >= seenLive) break;
      }
      live = true;
      if (options.endWhenCaughtUp) sse.close();
    } catch (error) {
      sse.destroy();
      throw error;
    } finally {
      catchingUp = false;
    }
  };

  const onOverflow = (lastSentId: string | number | undefined) => {
    options.onOverflow?.();
    overflowed = true;
    live = false;
    cursor = lastSentId === undefined ? options.after : Number(lastSentId);
  };
  const leave = await options.feeds.join(options.scope, (rows) => {
    if (!live) {
      seenLive = Math.max(seenLive, rows[rows.length - 1]?.id ?? 0);
      return;
    }
    if (!deliver(rows)) void catchUp().catch(() => undefined);
  });
  sse.signal.addEventListener('abort', leave, { once: true });
  if (sse.closed) leave();
  sse.onOverflow = onOverflow;
  await catchUp();
  await new Promise<void>((resolve) => {
    if (sse.closed) resolve();
    else sse.signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
