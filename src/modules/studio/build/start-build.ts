import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, type DbClient, type Queryable, withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError, UnprocessableError } from '../../../platform/errors.ts';
import { slugify } from '../../../platform/slugify.ts';
import { isReadyToBuild } from '../../blueprint/index.ts';
import { recordAudit } from '../../identity/index.ts';
import { lockProjectOperations, type Registry, startOperation } from '../../operations/index.ts';
import { requireBlueprint } from '../blueprint-access.ts';
import { requestedBy } from '../deps.ts';
import { featureSlugTaken, insertFeature, latestFeature, updateFeature } from '../feature-store.ts';
import { type BlueprintRow, findBlueprint, setBlueprintStatus } from '../store.ts';
import type { BuildInput } from './build-input.ts';
import { reconcileBuilding } from './settle-build.ts';

export interface StartBuildOptions {
  /** Build although readiness rules are unmet (the user takes responsibility). */
  override?: boolean;
  draft?: BuildInput['draft'];
  until?: BuildInput['until'];
}

/** `orchard/<slug>`: the Blueprint's earlier branch when it has one, else one no other Blueprint uses. */
async function featureSlug(tx: Queryable, blueprint: BlueprintRow): Promise<string> {
  const earlier = await latestFeature(tx, blueprint.id);
  if (earlier) return earlier.slug;
  const base =
    slugify(blueprint.document.feature || blueprint.title, 'project')
      .slice(0, 40)
      .replace(/-+$/, '') || 'feature';
  if (!(await featureSlugTaken(tx, blueprint.project_id, base, blueprint.id))) return base;
  return `${base}-${blueprint.id.slice(0, 6)}`;
}

/**
 * Starts a build of a Blueprint (developers): refuses one already building or discarded (409) and
 * one whose readiness rules are unmet unless overridden (422 listing them); records a feature in
 * `spec`, marks the Blueprint `building` and starts `studio.build` — all in one transaction (the
 * caller's when `res.db` is one).
 */
export async function startBuild(
  res: { db: Db | DbClient; registry: Registry; clock: Clock },
  ctx: RequestContext,
  blueprintId: string,
  options: StartBuildOptions = {},
): Promise<{ operationId: string; featureId: string; branch: string; projectSlug: string }> {
  const { project } = await requireBlueprint(res.db, ctx.actor, blueprintId, 'developer');
  return withTransaction(res.db, async (tx) => {
    // Before the Blueprint's row: the build workflow's hooks lock that row under this lock.
    await lockProjectOperations(tx, project.id);
    const blueprint = await reconcileBuilding(tx, res.clock, (await findBlueprint(tx, blueprintId, true))!);
    if (blueprint.status === 'building') {
      const running = await latestFeature(tx, blueprintId);
      throw new ConflictError(
        `The Blueprint is already being built (operation ${running?.operation_id ?? 'unknown'}); wait for it or cancel it.`,
        { operationId: running?.operation_id ?? null },
      );
    }
    if (blueprint.status === 'discarded')
      throw new ConflictError('The Blueprint is discarded; set its status to draft to build it.');
    const readiness = isReadyToBuild(blueprint.document);
    if (!readiness.ready && !options.override) {
      throw new UnprocessableError(
        `The Blueprint is not ready to build: ${readiness.unmet.map((u) => u.message).join(' ')} Fix these, or send override: true to build anyway.`,
        { unmet: readiness.unmet },
      );
    }
    const slug = await featureSlug(tx, blueprint);
    const branch = `orchard/${slug}`;
    const feature = await insertFeature(tx, {
      projectId: project.id,
      blueprintId,
      slug,
      branch,
      phase: 'spec',
    });
    await setBlueprintStatus(tx, blueprintId, 'building');
    const input = {
      blueprintId,
      featureId: feature.id,
      requestedBy: requestedBy(ctx.actor),
      ...(options.draft ? { draft: options.draft } : {}),
      until: options.until ?? 'verify',
    } satisfies BuildInput;
    const op = await startOperation(tx, res.registry, {
      kind: 'studio.build',
      input,
      actor: ctx.actor,
      projectId: project.id,
      clock: res.clock,
    });
    await updateFeature(tx, feature.id, { operationId: op.id });
    await recordAudit(tx, ctx, {
      action: 'blueprint.build',
      target: { type: 'blueprint', id: blueprintId },
      projectId: project.id,
      data: {
        featureId: feature.id,
        operationId: op.id,
        version: blueprint.version,
        override: !readiness.ready,
      },
    });
    return { operationId: op.id, featureId: feature.id, branch, projectSlug: project.slug };
  });
}
