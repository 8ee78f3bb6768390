import type { Queryable } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { type FeatureRow, findFeature } from '../feature-store.ts';

/** The project's feature, locked for a change, or 404 (a feature of another project is not found). */
export async function lockProjectFeature(
  tx: Queryable,
  project: { id: string; slug: string },
  featureId: string,
): Promise<FeatureRow> {
  const row = await findFeature(tx, featureId, true);
  if (!row || row.project_id !== project.id)
    throw new NotFoundError(`Project ${project.slug} has no feature ${featureId}.`);
  return row;
}
