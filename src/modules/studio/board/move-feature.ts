import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { ConflictError } from '../../../platform/errors.ts';
import { recordAudit } from '../../identity/index.ts';
import { findLiveOperations, withProjectStream } from '../../operations/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import { transition } from '../feature-machine.ts';
import { type FeatureRow, updateFeature } from '../feature-store.ts';
import type { MoveBody } from './board-schemas.ts';
import { noteFeatureChange } from './feature-event.ts';
import { lockProjectFeature } from './lock-project-feature.ts';

/**
 * A move made by hand on the board (developers): the state machine decides whether it is legal
 * (an illegal move is refused with what may come next), a feature whose build is running is moved
 * by its build only, and the move is recorded in the feature's history (with who and why) and the
 * audit log, and told live to the project's followers (an event of its build).
 */
export async function moveFeature(
  res: { db: Db; clock: Clock },
  ctx: RequestContext,
  slug: string,
  featureId: string,
  body: MoveBody,
): Promise<FeatureRow> {
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'developer');
  return withProjectStream(res, project.id, async (tx, note) => {
    const row = await lockProjectFeature(tx, project, featureId);
    const next = transition(row, body.to, {
      reason: body.reason,
      at: res.clock.now(),
      by: ctx.actor.username,
    });
    if (row.operation_id && (await findLiveOperations(tx, [row.operation_id])).size)
      throw new ConflictError(
        `The build of this feature (operation ${row.operation_id}) is running and moves it itself; wait for it to end, or cancel it, before moving the feature by hand.`,
        { operationId: row.operation_id },
      );
    const moved = await updateFeature(tx, row.id, { phase: next.phase, history: next.history });
    await recordAudit(tx, ctx, {
      action: 'feature.move',
      target: { type: 'feature', id: row.id },
      projectId: project.id,
      data: { from: row.phase, to: body.to, ...(body.reason ? { reason: body.reason } : {}) },
    });
    noteFeatureChange(note, moved, ctx.actor.username, { move: { from: row.phase, to: body.to } });
    return moved;
  });
}
