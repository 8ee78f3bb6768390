import type { Queryable } from '../../platform/db/pool.ts';
import { listProjectIdsOf } from './store.ts';

/** Ids of the projects the user is a member of, whatever the role (instance admin rights aside). */
export async function listMemberProjectIds(db: Queryable, userId: string): Promise<string[]> {
  return listProjectIdsOf(db, userId);
}
