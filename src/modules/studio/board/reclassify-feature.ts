import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { recordAudit } from '../../identity/index.ts';
import { withProjectStream } from '../../operations/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { FeatureRow } from '../feature-store.ts';
import { personClassification } from '../sdlc/sdlc-kinds.ts';
import type { ClassificationBody } from './board-schemas.ts';
import { setFeatureClassification } from './board-store.ts';
import { noteFeatureChange } from './feature-event.ts';
import { lockProjectFeature } from './lock-project-feature.ts';

/**
 * A person overrides the classifier (developers): the feature's kind, and so the phases it walks
 * from now on (its phase stays; its next move follows the new path). What the classifier had said
 * is kept in `previous`; the override is audited.
 */
export async function reclassifyFeature(
  res: { db: Db; clock: Clock },
  ctx: RequestContext,
  slug: string,
  featureId: string,
  body: ClassificationBody,
): Promise<FeatureRow> {
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'developer');
  return withProjectStream(res, project.id, async (tx, note) => {
    const row = await lockProjectFeature(tx, project, featureId);
    const earlier = row.classification;
    const classification = personClassification(body.kind, ctx.actor.username, res.clock.now(), {
      reason: body.reason,
      earlier,
    });
    const updated = await setFeatureClassification(tx, row.id, classification);
    await recordAudit(tx, ctx, {
      action: 'feature.classify',
      target: { type: 'feature', id: row.id },
      projectId: project.id,
      data: { from: row.kind, to: body.kind, ...(body.reason ? { reason: body.reason } : {}) },
    });
    noteFeatureChange(note, updated, ctx.actor.username, {
      classify: { from: row.kind, to: body.kind },
    });
    return updated;
  });
}
