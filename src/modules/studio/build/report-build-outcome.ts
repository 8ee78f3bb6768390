import { type DbClient, withSavepoint } from '../../../platform/db/pool.ts';
import { findProjectById } from '../../projects/index.ts';
import type { StudioDeps } from '../deps.ts';
import { findBlueprint } from '../store.ts';
import type { BuildInput } from './build-input.ts';

/**
 * Tells `onBuildOutcome` (notifications) how a build ended, inside `tx` under a savepoint of its
 * own: a listener that fails is logged and undone, and what the caller recorded stays.
 */
export async function reportBuildOutcome(
  deps: Pick<StudioDeps, 'onBuildOutcome' | 'logger'>,
  tx: DbClient,
  input: Pick<BuildInput, 'blueprintId' | 'requestedBy'>,
  ended: { operationId: string; run?: number; failed: boolean; reason?: string },
): Promise<void> {
  if (!deps.onBuildOutcome) return;
  const blueprint = await findBlueprint(tx, input.blueprintId);
  const project = blueprint && (await findProjectById(tx, blueprint.project_id));
  if (!blueprint || !project) return;
  const tell = deps.onBuildOutcome;
  await withSavepoint(
    tx,
    'build_outcome',
    () =>
      tell(tx, {
        operationId: ended.operationId,
        run: ended.run ?? 0,
        blueprintId: blueprint.id,
        projectId: project.id,
        projectSlug: project.slug,
        requestedBy: input.requestedBy.userId,
        failed: ended.failed,
        ...(ended.reason ? { reason: ended.reason } : {}),
      }),
    (error) =>
      deps.logger.error(
        { err: error, operation: ended.operationId },
        'the news of a build could not be recorded',
      ),
  );
}
