import type { Queryable } from '../../platform/db/pool.ts';
import {
  CursorShape,
  decodeCursor,
  fetchPage,
  type Page,
  type PageQuery,
} from '../../platform/http/cursor.ts';
import { pendingInvitations } from './account-links/account-link-store.ts';
import { countPasskeys } from './passkeys/passkey-store.ts';
import type { UserListItem } from './schemas.ts';
import { listUserRows } from './store.ts';
import { toUserView } from './views.ts';

/**
 * Every account, oldest first, with how many passkeys each holds, whether it has a password and its
 * waiting invitation (admins only: checked by the route).
 */
export async function listUsers(db: Queryable, query: PageQuery): Promise<Page<UserListItem>> {
  const after = decodeCursor(query.cursor, CursorShape.timeAndId);
  const page = await fetchPage(
    query.limit,
    (limit) => listUserRows(db, limit, after),
    (r) => [r.created_at.toISOString(), r.id],
    (row) => ({ ...toUserView(row), hasPassword: row.password_hash !== null }),
  );
  const ids = page.items.map((u) => u.id);
  const [passkeys, invitations] = await Promise.all([countPasskeys(db, ids), pendingInvitations(db, ids)]);
  return {
    ...page,
    items: page.items.map((u) => {
      const invitation = invitations.get(u.id);
      return {
        ...u,
        passkeys: passkeys.get(u.id) ?? 0,
        invitation: invitation ? { expiresAt: invitation.expiresAt.toISOString() } : null,
      };
    }),
  };
}
