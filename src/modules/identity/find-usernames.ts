import type { Queryable } from '../../platform/db/pool.ts';
import { listUsernames, type UserKind } from './store.ts';

/** User name and kind by id, for other modules that show who someone is (deleted users are absent). */
export async function findUserSummaries(
  db: Queryable,
  ids: ReadonlyArray<string | null>,
): Promise<Map<string, { username: string; kind: UserKind }>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (!wanted.length) return new Map();
  return new Map(
    (await listUsernames(db, wanted)).map((r) => [r.id, { username: r.username, kind: r.kind }]),
  );
}

/** User name by id, for other modules that show who did something (ids of deleted users are absent). */
export async function findUsernames(
  db: Queryable,
  ids: ReadonlyArray<string | null>,
): Promise<Map<string, string>> {
  const summaries = await findUserSummaries(db, ids);
  return new Map([...summaries].map(([id, s]) => [id, s.username]));
}
