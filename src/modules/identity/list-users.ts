import type { Queryable } from '../../platform/db/pool.ts';
import {
  CursorShape,
  decodeCursor,
  fetchPage,
  type Page,
  type PageQuery,
} from '../../platform/http/cursor.ts';
import { countPasskeys } from './passkeys/passkey-store.ts';
import type { UserListItem } from './schemas.ts';
import { listUserRows } from './store.ts';
import { toUserView } from './views.ts';

/** Every account, oldest first, with how many passkeys each holds (admins only: checked by the route). */
export async function listUsers(db: Queryable, query: PageQuery): Promise<Page<UserListItem>> {
  const after = decodeCursor(query.cursor, CursorShape.timeAndId);
  const page = await fetchPage(
    query.limit,
    (limit) => listUserRows(db, limit, after),
    (r) => [r.created_at.toISOString(), r.id],
    toUserView,
  );
  const passkeys = await countPasskeys(
    db,
    page.items.map((u) => u.id),
  );
  return { ...page, items: page.items.map((u) => ({ ...u, passkeys: passkeys.get(u.id) ?? 0 })) };
}
