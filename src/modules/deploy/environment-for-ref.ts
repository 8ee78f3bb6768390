import type { Queryable } from '../../platform/db/pool.ts';
import { branchOf, DEFAULT_BRANCH } from '../git/index.ts';
import { previewName } from './env-name.ts';
import { type EnvironmentWithSlug, findEnvironmentByName } from './environment-store.ts';

/**
 * The environment a ref's work belongs to (its pipeline jobs export telemetry there): main →
 * staging; another branch → its preview when it has one, else staging; none when that is missing.
 */
export async function environmentForRef(
  db: Queryable,
  projectId: string,
  ref: string,
): Promise<EnvironmentWithSlug | undefined> {
  const branch = branchOf(ref) ?? ref;
  const names = branch === DEFAULT_BRANCH ? ['staging'] : [previewName(branch), 'staging'];
  for (const name of names) {
    const env = await findEnvironmentByName(db, projectId, name);
    if (env) return env;
  }
  return undefined;
}
