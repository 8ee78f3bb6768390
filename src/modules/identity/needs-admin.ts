import type { Queryable } from '../../platform/db/pool.ts';
import { countUsers } from './store.ts';

/** True while no account exists yet: the first visitor creates the admin (`POST /api/setup/admin`). */
export async function needsAdmin(db: Queryable): Promise<boolean> {
  return (await countUsers(db)) === 0;
}
