import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { requireOperation } from './access.ts';
import { type EventScope, readEvents } from './events/event-store.ts';
import { type EventView, toEventView } from './views.ts';

/** A page of events after `after`, oldest first; `nextCursor` is the last id when the page is full. */
export async function readEventPage(
  db: Queryable,
  scope: EventScope,
  after: number,
  limit: number,
  step?: string,
): Promise<{ items: EventView[]; nextCursor: string | null }> {
  const rows = await readEvents(db, scope, after, limit, step);
  const last = rows[rows.length - 1];
  return { items: rows.map(toEventView), nextCursor: rows.length === limit && last ? String(last.id) : null };
}

/**
 * An operation's events (viewers of its project; system operations: instance admins): steps,
 * progress, log lines, errors and its end, after event `after`; `step` keeps one step's events
 * (and its fan-out children's) with the operation's own.
 */
export async function listOperationEvents(
  db: Queryable,
  actor: Actor,
  id: string,
  query: { after?: number; limit: number; step?: string },
) {
  const op = await requireOperation(db, actor, id, 'viewer');
  return readEventPage(db, { operationId: op.id }, query.after ?? 0, query.limit, query.step);
}
