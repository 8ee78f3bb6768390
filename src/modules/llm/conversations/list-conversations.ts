import type { Db } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage, type Page } from '../../../platform/http/cursor.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { ConversationView, ListConversationsQuery } from './schemas.ts';
import { listConversationRows } from './store.ts';
import { toConversationView } from './views.ts';

/** A project's conversations (viewers), or the caller's own; `q` searches message text. */
export async function listConversations(
  db: Db,
  actor: Actor,
  query: ListConversationsQuery,
): Promise<Page<ConversationView>> {
  const projectId = query.project
    ? (await requireProjectRole(db, actor, query.project, 'viewer')).project.id
    : null;
  const after = decodeCursor(query.cursor, CursorShape.timeAndId);
  return fetchPage(
    query.limit,
    (limit) =>
      listConversationRows(db, {
        projectId,
        ownerId: actor.userId,
        ...(query.q ? { search: query.q } : {}),
        limit,
        ...(after ? { after } : {}),
      }),
    (r) => [r.updated_at.toISOString(), r.id],
    toConversationView,
  );
}
