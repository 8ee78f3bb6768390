import { DomainError } from '../../platform/errors.ts';
import { defineStep, defineWorkflow, NonRetryableError, type Registry } from '../operations/index.ts';
import { ArchitectTurnInput, architectReplyStep } from './architect/step-architect-reply.ts';
import { BuildInput, buildSteps } from './build/build-input.ts';
import { defineBuildStep } from './build/build-step.ts';
import { resumeBuild, settleEndedBuild } from './build/settle-build.ts';
import { deployStep } from './build/step-deploy.ts';
import { draftBlueprintStep } from './build/step-draft-blueprint.ts';
import { implementStep } from './build/step-implement.ts';
import { planStep } from './build/step-plan.ts';
import { renderSpecStep } from './build/step-render-spec.ts';
import { testStep } from './build/step-test.ts';
import { type ReportInput, reportVerificationStep, verifyStep } from './build/step-verify.ts';
import type { StudioDeps } from './deps.ts';

const MINUTE = 60_000;

/**
 * The Studio's workflows:
 * - `studio.build`: [draft-blueprint →] render-spec → plan → implement → test → deploy → verify
 *   (`verify` fans out `verify/browser` = automation.verify and `verify/report`).
 * - `studio.architect-turn`: one LLM Architect chat turn (`reply`), its answer streamed as events.
 */
export function registerStudioJobs(registry: Registry, deps: StudioDeps): void {
  registry.add(
    defineWorkflow('studio.build', BuildInput, (input) => buildSteps(input), {
      // However a build ends or is retried, the Blueprint and the feature follow, in the same transaction.
      onEnd: settleEndedBuild,
      onRetry: resumeBuild,
    }),
    defineBuildStep<BuildInput>('draft-blueprint', { timeoutMs: 10 * MINUTE }, (ctx) =>
      draftBlueprintStep(deps, ctx),
    ),
    defineBuildStep<BuildInput>('render-spec', {}, (ctx) => renderSpecStep(deps, ctx)),
    defineBuildStep<BuildInput>('plan', {}, (ctx) => planStep(deps, ctx)),
    defineBuildStep<BuildInput>('implement', { timeoutMs: 15 * MINUTE }, (ctx) => implementStep(deps, ctx)),
    // The pipeline's own jobs have timeouts; a lost worker simply waits for the same pipeline again.
    defineBuildStep<BuildInput>('test', { timeoutMs: 65 * MINUTE, retry: { maxAttempts: 3 } }, (ctx) =>
      testStep(deps, ctx),
    ),
    defineBuildStep<BuildInput>('deploy', { timeoutMs: 25 * MINUTE }, (ctx) => deployStep(deps, ctx)),
    defineBuildStep<BuildInput>('verify', {}, (ctx) => verifyStep(deps, ctx)),
    defineBuildStep<ReportInput>('report-verification', {}, (ctx) => reportVerificationStep(deps, ctx)),
    defineWorkflow('studio.architect-turn', ArchitectTurnInput, (input) => [
      { key: 'reply', step: 'studio.architect-reply', input },
    ]),
    defineStep<ArchitectTurnInput>('studio.architect-reply', {
      retry: { maxAttempts: 2, baseMs: 500, maxMs: 2_000 },
      timeoutMs: 10 * MINUTE,
      handler: (ctx) =>
        architectReplyStep(deps, ctx).catch((error) => {
          throw error instanceof DomainError ? new NonRetryableError(error.message) : error;
        }),
    }),
  );
}
