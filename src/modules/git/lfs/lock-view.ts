import type { Queryable } from '../../../platform/db/pool.ts';
import { findUsernames } from '../../identity/index.ts';
import type { LfsLockRow } from './lfs-store.ts';
import type { LfsLock } from './schemas.ts';

/** Locks as the LFS API shows them: the owner by user name. */
export async function toLfsLocks(db: Queryable, rows: LfsLockRow[]): Promise<LfsLock[]> {
  const names = await findUsernames(
    db,
    rows.map((r) => r.owner_id),
  );
  return rows.map((r) => ({
    id: r.id,
    path: r.path,
    locked_at: r.locked_at.toISOString(),
    owner: { name: names.get(r.owner_id) ?? 'unknown' },
  }));
}
