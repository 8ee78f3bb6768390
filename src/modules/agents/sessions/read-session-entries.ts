import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import type { Page } from '../../../platform/http/cursor.ts';
import { requireSession } from './require-session.ts';
import type { AgentSessionEntryView } from './schemas.ts';
import { readEntries } from './session-store.ts';
import { toEntryView } from './views.ts';

/**
 * A page of a session's transcript (viewers): the entries after entry id `after`, oldest first;
 * `nextCursor` is the `after` of the next page, null once there is nothing more to read now.
 */
export async function readSessionEntries(
  db: Queryable,
  actor: Actor,
  id: string,
  page: { after: number; limit: number },
): Promise<Page<AgentSessionEntryView>> {
  const session = await requireSession(db, actor, id, 'viewer');
  const rows = await readEntries(db, session.id, page.after, page.limit);
  const last = rows.at(-1);
  return {
    items: rows.map(toEntryView),
    nextCursor: rows.length === page.limit && last ? String(last.id) : null,
  };
}
