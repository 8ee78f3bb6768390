import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { CursorShape, decodeCursor } from '../../../platform/http/cursor.ts';
import { requireLfsAccess } from './lfs-access.ts';
import { listLfsLockRows } from './lfs-store.ts';
import { pageOfLocks } from './list-locks.ts';
import type { LfsLock, VerifyLocksBody } from './schemas.ts';

/**
 * What git-lfs asks before a push: the project's locks split into the caller's and everyone
 * else's (developers). Every lock counts, whatever ref it was taken on: a lock holds its path on
 * every branch.
 */
export async function verifyLocks(
  db: Queryable,
  actor: Actor,
  repo: string,
  body: VerifyLocksBody,
): Promise<{ ours: LfsLock[]; theirs: LfsLock[]; next_cursor?: string }> {
  const { project } = await requireLfsAccess(db, actor, repo, 'write');
  const after = decodeCursor(body.cursor, CursorShape.timeAndId);
  const ownerOf = new Map<string, string>();
  const page = await pageOfLocks(db, body.limit, async (rows) => {
    const found = await listLfsLockRows(db, project.id, { after }, rows);
    for (const r of found) ownerOf.set(r.id, r.owner_id);
    return found;
  });
  const mine = (lock: LfsLock) => ownerOf.get(lock.id) === actor.userId;
  return {
    ours: page.locks.filter(mine),
    theirs: page.locks.filter((lock) => !mine(lock)),
    ...(page.next_cursor ? { next_cursor: page.next_cursor } : {}),
  };
}
