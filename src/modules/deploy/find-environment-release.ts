import type { Queryable } from '../../platform/db/pool.ts';
import { findEnvironment } from './environment-store.ts';
import { findRelease } from './releases/release-store.ts';

/** The release an environment serves now (its id and commit), for what is reported against it. */
export async function findEnvironmentRelease(
  db: Queryable,
  environmentId: string,
): Promise<{ id: string; sha: string } | undefined> {
  const env = await findEnvironment(db, environmentId);
  if (!env?.current_release_id) return undefined;
  const release = await findRelease(db, env.current_release_id);
  return release ? { id: release.id, sha: release.sha } : undefined;
}
