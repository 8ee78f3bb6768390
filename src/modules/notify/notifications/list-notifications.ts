import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage } from '../../../platform/http/cursor.ts';
import { countUnread, listInbox } from './notification-store.ts';
import type { InboxPage, InboxQuery } from './schemas.ts';
import { toNotificationView } from './views.ts';

/** The actor's own in-app notifications, newest first, with how many are unread. */
export async function listNotifications(db: Queryable, actor: Actor, query: InboxQuery): Promise<InboxPage> {
  const after = decodeCursor(query.cursor, CursorShape.timeAndId);
  const page = await fetchPage(
    query.limit,
    (limit) => listInbox(db, actor.userId, { limit, after, unreadOnly: query.unread }),
    (r) => [r.created_at.toISOString(), r.id],
    toNotificationView,
  );
  return { ...page, unreadCount: await countUnread(db, actor.userId) };
}
