import type { Clock } from '../../../platform/clock.ts';
import type { Db, DbClient } from '../../../platform/db/pool.ts';
import { lockStreams } from '../engine/lock.ts';
import { appendEvents, type NewEvent } from './event-store.ts';
import { transact } from './notices.ts';

/** An event another module adds to one of the project's operations (e.g. its feature moved by hand). */
export type ProjectStreamEvent = Pick<NewEvent, 'operationId' | 'type' | 'data'>;

/**
 * A transaction on a project's event stream, for changes made outside the operations engine that
 * its followers should see live (the activity stream, an operation's page): the stream lock is
 * taken first, as every writer of the stream takes it, so no lock-order cycle with the engine; the
 * events `fn` notes are appended with the transaction, and told to listeners once it committed.
 */
export async function withProjectStream<T>(
  res: { db: Db; clock: Clock },
  projectId: string,
  fn: (tx: DbClient, note: (event: ProjectStreamEvent) => void) => Promise<T>,
): Promise<T> {
  return transact(res.db, async (tx, notices) => {
    await lockStreams(tx, [projectId]);
    const events: NewEvent[] = [];
    const result = await fn(tx, (event) => events.push({ ...event, projectId }));
    await appendEvents(tx, events, res.clock.now(), notices);
    return result;
  });
}
