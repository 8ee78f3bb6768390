import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { ConflictError } from '../../../platform/errors.ts';
import { isReadyToBuild } from '../../blueprint/index.ts';
import { getOperation, type OperationChange } from '../../operations/index.ts';
import { advanceFeatureIn, phaseOnPath, stopFeatureIn } from '../advance-feature.ts';
import type { FeaturePhase } from '../feature-machine.ts';
import { findFeature, latestFeature } from '../feature-store.ts';
import { type BlueprintRow, findBlueprint, setBlueprintStatus } from '../store.ts';
import { BuildInput } from './build-input.ts';

/** The phase each top-level build step works in (a fan-out child counts as its parent). */
const PHASE_OF_STEP: Record<string, FeaturePhase> = {
  'draft-blueprint': 'spec',
  'render-spec': 'spec',
  plan: 'plan',
  implement: 'implement',
  test: 'test',
  deploy: 'deploy',
  verify: 'verify',
};

/** Out of `building`: editable again, `ready` or `draft` by its readiness rules. */
function release(tx: Queryable, blueprint: BlueprintRow) {
  return setBlueprintStatus(tx, blueprint.id, isReadyToBuild(blueprint.document).ready ? 'ready' : 'draft');
}

/** Why a build failed, as the feature records it and its news tells: `<step>: <message>`. */
export function failureReason(ended: Pick<OperationChange, 'error'>): string {
  return `${ended.error?.step ?? 'build'}: ${ended.error?.message ?? 'failed'}`;
}

/** Why a build ended: its failure, or the cancel's message. */
function endReason(ended: OperationChange): string {
  return ended.status === 'cancelled' ? (ended.error?.message ?? 'Cancelled.') : failureReason(ended);
}

/**
 * `studio.build`'s onEnd hook, run by the engine in the transaction that ends the build as failed or
 * cancelled — whatever ended it (a step's error, a child step out of attempts, a worker crash the
 * reaper found, a cancel): the feature records the outcome and the step that failed, and the
 * Blueprint leaves `building` (when this is its latest build) so chat and edits work again.
 * Returns the build's input (undefined when it is not a build's).
 */
export async function settleEndedBuild(
  tx: Queryable,
  ended: OperationChange,
): Promise<BuildInput | undefined> {
  const input = BuildInput.safeParse(ended.input);
  if (!input.success) return undefined;
  const { blueprintId, featureId } = input.data;
  // The Blueprint's row first, then the feature's: the order reconcileBuilding and startBuild use.
  const blueprint = await findBlueprint(tx, blueprintId, true);
  await stopFeatureIn(tx, ended.at, featureId, ended.status, endReason(ended));
  if (blueprint?.status === 'building' && (await latestFeature(tx, blueprintId))?.id === featureId)
    await release(tx, blueprint);
  return input.data;
}

/**
 * `studio.build`'s onRetry hook: a retried build is a build again — the Blueprint `building`, the
 * feature back in the phase of the step that failed. Refused (409) when it cannot be: the Blueprint
 * is discarded or was built again since, or the build was cancelled (a cancelled feature is final).
 */
export async function resumeBuild(tx: Queryable, retried: OperationChange): Promise<void> {
  const input = BuildInput.safeParse(retried.input);
  if (!input.success) return;
  const { blueprintId, featureId } = input.data;
  const blueprint = await findBlueprint(tx, blueprintId, true);
  if (!blueprint) throw new ConflictError('The Blueprint of this build no longer exists.');
  if (blueprint.status === 'discarded')
    throw new ConflictError('The Blueprint is discarded; set its status to draft and start a new build.');
  const latest = await latestFeature(tx, blueprintId);
  if (latest?.id !== featureId) {
    throw new ConflictError(
      `The Blueprint has been built again since (operation ${latest?.operation_id ?? 'unknown'}); retry that build or start a new one.`,
    );
  }
  const feature = await findFeature(tx, featureId, true);
  if (feature?.phase === 'cancelled') {
    throw new ConflictError(
      'This build was cancelled, and a cancelled build is final; start a new build of the Blueprint instead.',
    );
  }
  const phase = PHASE_OF_STEP[retried.error?.step?.split('/')[0] ?? ''];
  if (feature?.phase === 'failed' && phase)
    await advanceFeatureIn(tx, retried.at, featureId, phaseOnPath(feature, phase), 'retried');
  await setBlueprintStatus(tx, blueprintId, 'building');
}

/**
 * Repairs a Blueprint left `building` by a build whose operation ended without its onEnd hook
 * settling it (a build that ended before the hook existed, or whose hook failed). Call it under
 * the Blueprint's row lock before deciding on its status.
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
      return release(tx, blueprint);
    }
    return setBlueprintStatus(tx, blueprint.id, 'built');
  }
  return blueprint;
}
