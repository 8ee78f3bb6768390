import type { Queryable } from '../../platform/db/pool.ts';
import {
  CursorShape,
  decodeCursor,
  fetchPage,
  type Page,
  type PageQuery,
} from '../../platform/http/cursor.ts';
import type { UserView } from './schemas.ts';
import { listUserRows } from './store.ts';
import { toUserView } from './views.ts';

/** Every account, oldest first (admins only: checked by the route). */
export async function listUsers(db: Queryable, query: PageQuery): Promise<Page<UserView>> {
  const after = decodeCursor(query.cursor, CursorShape.timeAndId);
  return fetchPage(
    query.limit,
    (limit) => listUserRows(db, limit, after),
    (r) => [r.created_at.toISOString(), r.id],
    toUserView,
  );
}
