import type { Clock } from '../../platform/clock.ts';
import type { Db, Queryable } from '../../platform/db/pool.ts';
import { getOperation } from '../operations/index.ts';
import { stopFeature, stopFeatureIn } from './advance-feature.ts';
import { latestFeature } from './feature-store.ts';
import { type BlueprintRow, setBlueprintStatus } from './store.ts';

/**
 * A build that ended without finishing: its feature stops (failed or cancelled) and the Blueprint
 * is editable again (`building` → `ready`), so the user can change it and build again.
 */
export async function settleBuild(
  db: Db,
  clock: Clock,
  input: { featureId: string; blueprintId: string; outcome: 'failed' | 'cancelled'; reason: string },
): Promise<void> {
  await stopFeature(db, clock, input.featureId, input.outcome, input.reason);
  await db.query(
    `UPDATE blueprints SET status = 'ready', updated_at = now() WHERE id = $1 AND status = 'building'`,
    [input.blueprintId],
  );
}

/**
 * Repairs a Blueprint left `building` by a build whose operation already ended in a way its own
 * steps could not record (cancelled while a step waited, a child step out of retries). Call it
 * under the Blueprint's row lock before deciding on its status.
 */
export async function reconcileBuilding(
  tx: Queryable,
  clock: Clock,
  blueprint: BlueprintRow,
): Promise<BlueprintRow> {
  if (blueprint.status !== 'building') return blueprint;
  const feature = await latestFeature(tx, blueprint.id);
  if (!feature?.operation_id) return blueprint;
  const op = await getOperation(tx, feature.operation_id).catch(() => undefined);
  if (op && !['queued', 'running'].includes(op.status)) {
    if (op.status !== 'succeeded') {
      const outcome = op.status === 'cancelled' ? 'cancelled' : 'failed';
      await stopFeatureIn(tx, clock.now(), feature.id, outcome, `The build operation ended ${op.status}.`);
    }
    return setBlueprintStatus(tx, blueprint.id, op.status === 'succeeded' ? 'built' : 'ready');
  }
  return blueprint;
}
