import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage } from '../../../platform/http/cursor.ts';
import { normalizeRepoPath } from '../ref-name.ts';
import { requireLfsAccess } from './lfs-access.ts';
import { type LfsLockRow, listLfsLockRows } from './lfs-store.ts';
import { toLfsLocks } from './lock-view.ts';
import { type LfsLock, type ListLocksQuery, LOCK_ID } from './schemas.ts';

/** The project's locks, oldest first, filtered by path, id or the ref they were taken on (viewers). */
export async function listLocks(
  db: Queryable,
  actor: Actor,
  repo: string,
  query: ListLocksQuery,
): Promise<{ locks: LfsLock[]; next_cursor?: string }> {
  const { project } = await requireLfsAccess(db, actor, repo, 'read');
  // An id that cannot be a lock's matches none (rather than being an error).
  if (query.id !== undefined && !LOCK_ID.test(query.id)) return { locks: [] };
  const filter = {
    path: query.path === undefined ? undefined : normalizeRepoPath(query.path, 'querystring.path'),
    id: query.id,
    refName: query.refspec,
    after: decodeCursor(query.cursor, CursorShape.timeAndId),
  };
  return pageOfLocks(db, query.limit, (rows) => listLfsLockRows(db, project.id, filter, rows));
}

/** A page of locks in the LFS shape: `next_cursor` only when there is more. */
export async function pageOfLocks(
  db: Queryable,
  limit: number,
  fetch: (rows: number) => Promise<LfsLockRow[]>,
): Promise<{ locks: LfsLock[]; next_cursor?: string }> {
  const page = await fetchPage(
    limit,
    fetch,
    (r) => [r.locked_at.toISOString(), r.id],
    (r) => r,
  );
  const locks = await toLfsLocks(db, page.items);
  return page.nextCursor ? { locks, next_cursor: page.nextCursor } : { locks };
}
