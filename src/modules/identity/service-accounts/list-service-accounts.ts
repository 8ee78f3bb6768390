import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import {
  CursorShape,
  decodeCursor,
  fetchPage,
  type Page,
  type PageQuery,
} from '../../../platform/http/cursor.ts';
import type { ServiceAccountView } from './service-account-schemas.ts';
import { findServiceAccountRow, listServiceAccountRows } from './service-account-store.ts';
import { toServiceAccountView } from './service-account-views.ts';

/** Every service account, oldest first, with its token counts and last use (admins: checked by the route). */
export async function listServiceAccounts(
  db: Queryable,
  clock: Clock,
  query: PageQuery,
): Promise<Page<ServiceAccountView>> {
  const after = decodeCursor(query.cursor, CursorShape.timeAndId);
  return fetchPage(
    query.limit,
    (limit) => listServiceAccountRows(db, clock.now(), limit, after),
    (r) => [r.created_at.toISOString(), r.id],
    toServiceAccountView,
  );
}

/** One service account; a 404 for an id that is no service account (a person's, an agent's, none). */
export async function requireServiceAccount(db: Queryable, clock: Clock, id: string) {
  const row = await findServiceAccountRow(db, id, clock.now());
  if (!row) throw new NotFoundError('No such service account.');
  return row;
}
