import type { Queryable } from '../../platform/db/pool.ts';
import { listUsernames } from './store.ts';

/** User name by id, for other modules that show who did something (ids of deleted users are absent). */
export async function findUsernames(
  db: Queryable,
  ids: ReadonlyArray<string | null>,
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (!wanted.length) return new Map();
  return new Map((await listUsernames(db, wanted)).map((r) => [r.id, r.username]));
}
