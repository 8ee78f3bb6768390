import type { Queryable } from '../../../platform/db/pool.ts';
import type { Blueprint } from '../../blueprint/index.ts';
import { latestDoneFeatureOfProject } from '../feature-store.ts';
import { findBlueprint, findSnapshot } from '../store.ts';

/**
 * The Blueprint the project's app was last built from, as it was built (the version its build
 * verified, not edits made since, which are not built yet); undefined before any build finished.
 */
export async function builtBlueprint(db: Queryable, projectId: string): Promise<Blueprint | undefined> {
  const feature = await latestDoneFeatureOfProject(db, projectId);
  if (!feature) return undefined;
  const built =
    feature.blueprint_version !== null
      ? await findSnapshot(db, feature.blueprint_id, feature.blueprint_version)
      : undefined;
  return built?.document ?? (await findBlueprint(db, feature.blueprint_id))?.document;
}
