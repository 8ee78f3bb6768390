import type { Queryable } from '../../../platform/db/pool.ts';
import type { EventBus } from '../../../platform/events/index.ts';
import type { SseStream } from '../../../platform/http/sse.ts';
import { findSession, readEntries, SESSION_CHANNEL } from './session-store.ts';
import { toEntryView } from './views.ts';

const PAGE = 500;
/** A lost notice (a writer died between commit and NOTIFY) is covered by looking anyway. */
const SAFETY_POLL_MS = 2_000;

/**
 * A session's transcript as server-sent events: every entry after `after` (its id is the event
 * id, so a reconnecting client continues with Last-Event-ID), then new entries as they are
 * written. The stream ends once it has caught up with a session that is no longer working.
 */
export async function streamSession(
  sse: SseStream,
  deps: { db: Queryable; bus: EventBus },
  sessionId: string,
  after: number,
): Promise<void> {
  let cursor = after;
  let reading = false;
  let again = false;
  const pump = async () => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        for (;;) {
          await sse.drained();
          if (sse.closed) return;
          const rows = await readEntries(deps.db, sessionId, cursor, PAGE);
          for (const row of rows) {
            sse.send({ id: row.id, data: JSON.stringify(toEntryView(row)) });
            cursor = Number(row.id);
          }
          if (rows.length < PAGE) break;
        }
        const session = await findSession(deps.db, sessionId);
        if (!session || !['queued', 'running'].includes(session.status)) {
          // Entries committed just before the status changed are read once more before ending.
          const last = await readEntries(deps.db, sessionId, cursor, PAGE);
          for (const row of last) sse.send({ id: row.id, data: JSON.stringify(toEntryView(row)) });
          sse.send({ event: 'end', data: JSON.stringify({ status: session?.status ?? 'deleted' }) });
          sse.close();
          return;
        }
      } while (again && !sse.closed);
    } finally {
      reading = false;
    }
  };
  const subscription = deps.bus.subscribe(SESSION_CHANNEL, (payload) => {
    if (payload === sessionId) void pump().catch(() => sse.destroy());
  });
  const poll = setInterval(() => void pump().catch(() => sse.destroy()), SAFETY_POLL_MS);
  sse.signal.addEventListener('abort', () => {
    subscription();
    clearInterval(poll);
  });
  await subscription.ready;
  await pump();
}
