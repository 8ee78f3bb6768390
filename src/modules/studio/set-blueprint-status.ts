import { systemClock } from '../../platform/clock.ts';
import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { ConflictError, UnprocessableError } from '../../platform/errors.ts';
import { isReadyToBuild } from '../blueprint/index.ts';
import { recordAudit } from '../identity/index.ts';
import { requireBlueprint } from './blueprint-access.ts';
import { reconcileBuilding } from './build/settle-build.ts';
import { findBlueprint, setBlueprintStatus } from './store.ts';

/** Discards, reopens, or marks a Blueprint ready — overriding unmet readiness rules only when asked. */
export async function changeBlueprintStatus(
  db: Db,
  ctx: RequestContext,
  id: string,
  input: { status: 'draft' | 'ready' | 'discarded'; override?: boolean },
) {
  await requireBlueprint(db, ctx.actor, id, 'developer');
  return withTransaction(db, async (tx) => {
    const current = await reconcileBuilding(tx, systemClock, (await findBlueprint(tx, id, true))!);
    if (current.status === 'building')
      throw new ConflictError('The Blueprint is being built; wait for the build or cancel it.');
    const readiness = isReadyToBuild(current.document);
    if (input.status === 'ready' && !readiness.ready && !input.override) {
      throw new UnprocessableError(
        `The Blueprint is not ready: ${readiness.unmet.map((u) => u.message).join('; ')}. Fix these, or send override: true to build anyway.`,
        { unmet: readiness.unmet },
      );
    }
    const row = await setBlueprintStatus(tx, id, input.status);
    await recordAudit(tx, ctx, {
      action: 'blueprint.status',
      target: { type: 'blueprint', id },
      projectId: current.project_id,
      data: { from: current.status, to: input.status, override: Boolean(input.override && !readiness.ready) },
    });
    return row;
  });
}
