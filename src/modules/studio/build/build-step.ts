/**
 * The frame every `studio.build` step runs in: it moves the feature to the step's phase (the state
 * machine refuses illegal moves) and announces it, and turns domain errors into non-retryable step
 * failures. How a build that ends is recorded is not the steps' business: the workflow's onEnd
 * hook does it where the engine ends the operation (settle-build.ts).
 */
import { DomainError } from '../../../platform/errors.ts';
import {
  defineStep,
  NonRetryableError,
  type RetryPolicy,
  type StepContext,
  type StepDefinition,
  stepHasParked,
} from '../../operations/index.ts';
import { findProjectById, type ProjectRow } from '../../projects/index.ts';
import { advanceFeature, needsPhase } from '../advance-feature.ts';
import type { RequestedBy, StudioDeps } from '../deps.ts';
import type { FeaturePhase } from '../feature-machine.ts';
import { type FeatureRow, findFeature } from '../feature-store.ts';
import { KIND_LABELS } from '../sdlc/sdlc-kinds.ts';
import { type BlueprintRow, findBlueprint, markBuilding } from '../store.ts';

/** What every build step's input carries. */
export interface BuildRef {
  blueprintId: string;
  featureId: string;
  requestedBy: RequestedBy;
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 2, baseMs: 1_000, maxMs: 10_000 };

export function defineBuildStep<I extends BuildRef>(
  name: string,
  options: { retry?: RetryPolicy; timeoutMs?: number; queue?: string },
  handler: (ctx: StepContext<I>) => Promise<unknown>,
): StepDefinition {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  return defineStep<I>(`studio.${name}`, {
    ...options,
    retry,
    handler: async (ctx) => {
      try {
        return await handler(ctx);
      } catch (raw) {
        throw raw instanceof DomainError ? new NonRetryableError(raw.message) : raw;
      }
    },
  });
}

/**
 * Moves the feature to `phase`, keeps the Blueprint `building`, and emits the `phase` event. A phase
 * the feature's kind does not need (a bug fix has no spec and no plan) is not entered: the step
 * does the plumbing later steps need and the feature stays where it is.
 */
export async function enterPhase(
  deps: StudioDeps,
  ctx: StepContext<BuildRef>,
  phase: FeaturePhase,
  message: string,
): Promise<FeatureRow> {
  const current = await findFeature(deps.db, ctx.input.featureId);
  if (current && !needsPhase(current, phase)) {
    await markBuilding(deps.db, ctx.input.blueprintId);
    ctx.log(`A ${KIND_LABELS[current.kind]} needs no ${phase} phase; the feature stays in ${current.phase}.`);
    return current;
  }
  const feature = await advanceFeature(deps.db, deps.clock, ctx.input.featureId, phase);
  // A retried build (after a failure made it `ready`) is building again.
  await markBuilding(deps.db, ctx.input.blueprintId);
  // A step run again after a durable wait is in its phase already: it announced it the first time.
  const resumed = current?.phase === phase && (await stepHasParked(deps.db, ctx.operationId, ctx.stepKey));
  if (!resumed) await ctx.emit({ type: 'phase', phase, featureId: feature.id, message });
  return feature;
}

/** The Blueprint, its project and the feature a step works on. */
export async function loadBuild(
  deps: StudioDeps,
  input: BuildRef,
): Promise<{ blueprint: BlueprintRow; project: ProjectRow; feature: FeatureRow }> {
  const blueprint = await findBlueprint(deps.db, input.blueprintId);
  const feature = await findFeature(deps.db, input.featureId);
  const project = blueprint && (await findProjectById(deps.db, blueprint.project_id));
  if (!blueprint || !feature || !project) {
    throw new NonRetryableError('The Blueprint, its feature or its project no longer exists.');
  }
  return { blueprint, project, feature };
}
