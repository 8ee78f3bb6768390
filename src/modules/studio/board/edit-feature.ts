import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import type { Db, Queryable } from '../../../platform/db/pool.ts';
import { ValidationError } from '../../../platform/errors.ts';
import { recordAudit } from '../../identity/index.ts';
import { withProjectStream } from '../../operations/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import { type FeatureRow, findFeature } from '../feature-store.ts';
import type { EditFeatureBody } from './board-schemas.ts';
import {
  existingFeatureIds,
  listDependencyRows,
  lockProjectDependencies,
  replaceDependencies,
  setFeatureAssignee,
} from './board-store.ts';
import { DependencyCycleError, dependencyCycle } from './dependency-cycle.ts';
import { noteFeatureChange } from './feature-event.ts';
import { lockProjectFeature } from './lock-project-feature.ts';
import { resolveAssignee } from './resolve-assignee.ts';

/** The features a feature waits for, checked: of the project, and closing no cycle. */
async function setDependencies(
  tx: Queryable,
  project: { id: string; slug: string },
  row: FeatureRow,
  dependsOn: readonly string[],
) {
  const wanted = [...new Set(dependsOn)];
  const known = await existingFeatureIds(tx, project.id, wanted);
  const unknown = wanted.filter((id) => !known.has(id));
  if (unknown.length)
    throw new ValidationError(`Project ${project.slug} has no feature ${unknown.join(', ')}.`, [
      { field: 'body.dependsOn', message: `names features that are not in ${project.slug}` },
    ]);
  const edges = (await listDependencyRows(tx, project.id)).map((e) => ({
    from: e.feature_id,
    to: e.depends_on_id,
  }));
  const cycle = dependencyCycle(edges, row.id, wanted);
  if (cycle) {
    const titles = await Promise.all(
      cycle.map(async (id) => {
        const f = id === row.id ? row : await findFeature(tx, id);
        return `“${f?.title ?? f?.slug ?? id}”`;
      }),
    );
    throw new DependencyCycleError(
      `These dependencies would make a cycle: ${titles.join(' waits for ')}. A feature cannot wait, even through others, for itself; remove one of these dependencies.`,
      { cycle },
    );
  }
  await replaceDependencies(tx, row.id, wanted);
  return wanted;
}

/**
 * Edits a feature on the board (developers): who it is assigned to (a person, an agent principal or
 * an agent runtime) and which features it waits for (a cycle is refused, naming it). Audited, and
 * told live to the project's followers.
 */
export async function editFeature(
  res: { db: Db; clock: Clock },
  ctx: RequestContext,
  slug: string,
  featureId: string,
  body: EditFeatureBody,
): Promise<FeatureRow> {
  const { db } = res;
  const { project } = await requireProjectRole(db, ctx.actor, slug, 'developer');
  const assignee = body.assignee === undefined ? undefined : await resolveAssignee(db, body.assignee);
  return withProjectStream(res, project.id, async (tx, note) => {
    // Before the row: every dependency edit of the project takes this lock first.
    if (body.dependsOn) await lockProjectDependencies(tx, project.id);
    let row = await lockProjectFeature(tx, project, featureId);
    const changes: Record<string, unknown> = {};
    if (body.dependsOn) changes.dependsOn = await setDependencies(tx, project, row, body.dependsOn);
    if (assignee) {
      row = await setFeatureAssignee(tx, row.id, assignee);
      changes.assignee = body.assignee;
    }
    await recordAudit(tx, ctx, {
      action: 'feature.update',
      target: { type: 'feature', id: row.id },
      projectId: project.id,
      data: changes,
    });
    noteFeatureChange(note, row, ctx.actor.username, { edit: changes });
    return row;
  });
}
