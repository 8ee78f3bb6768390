import type { DbClient } from '../../platform/db/pool.ts';
import { DomainError } from '../../platform/errors.ts';
import { defineStep, defineWorkflow, NonRetryableError, type Registry } from '../operations/index.ts';
import { ArchitectTurnInput, architectReplyStep } from './architect/step-architect-reply.ts';
import { BuildInput, buildSteps } from './build/build-input.ts';
import { defineBuildStep } from './build/build-step.ts';
import { reportBuildOutcome } from './build/report-build-outcome.ts';
import { failureReason, resumeBuild, settleEndedBuild } from './build/settle-build.ts';
import { deployStep } from './build/step-deploy.ts';
import { draftBlueprintStep } from './build/step-draft-blueprint.ts';
import { implementStep } from './build/step-implement.ts';
import { landStep } from './build/step-land.ts';
import { planStep } from './build/step-plan.ts';
import { renderSpecStep } from './build/step-render-spec.ts';
import { testStep } from './build/step-test.ts';
import { type ReportInput, reportVerificationStep, verifyStep } from './build/step-verify.ts';
import type { StudioDeps } from './deps.ts';
import {
  MAIN_RELEASE_KIND,
  MainReleaseInput,
  type MainReportInput,
} from './main-release/main-release-input.ts';
import { deployMainStep, reportMainStep, verifyMainStep } from './main-release/main-release-steps.ts';
import { CLASSIFY_ISSUE_KIND, ClassifyIssueInput, classifyIssueStep } from './sdlc/classify-issue.ts';
import {
  ENVIRONMENT_BROWSER_KEY,
  reportEnvironmentVerificationStep,
} from './verification/report-environment-verification.ts';
import { VERIFY_STEP } from './verification/verification-suite.ts';
import { VERIFY_ENVIRONMENT_KIND, VerifyEnvironmentInput } from './verification/verify-environment-input.ts';
import {
  VERIFY_MERGE_REQUEST_KIND,
  VerifyMergeRequestInput,
  verifyMergeRequestStep,
} from './verification/verify-merge-request.ts';

const MINUTE = 60_000;

/**
 * The Studio's workflows:
 * - `studio.build`: [draft-blueprint →] render-spec → plan → implement → test → deploy (the branch's
 *   preview) → verify (`verify/browser` = automation.verify, `verify/report`) → land (the first
 *   build merges to main and follows main's release on staging; others wait for a review).
 * - `studio.release-main`: a commit of main that passed → deploy (staging) → verify (`verify/browser`,
 *   `verify/report`): production follows main, and Publish takes what staging verified.
 * - `studio.verify-environment`: the browser robot on an environment or URL when asked (`browser`,
 *   then `report`, which records a full run on the environment's release).
 * - `studio.verify-merge-request`: a merge request's preview, once deployed, checked by the robot
 *   (`verify/browser`, `verify/report`): the head commit's `browser-verification` check.
 * - `studio.architect-turn`: one LLM Architect chat turn (`reply`), its answer streamed as events.
 * - `studio.classify-issue`: the LLM's classification of an issue (`classify`), replacing the rules'.
 */
export function registerStudioJobs(registry: Registry, deps: StudioDeps): void {
  registry.add(
    defineWorkflow('studio.build', BuildInput, (input) => buildSteps(input), {
      // However a build ends or is retried, the Blueprint and the feature follow, in the same transaction.
      onEnd: async (tx, ended) => {
        const input = await settleEndedBuild(tx, ended);
        if (ended.status === 'failed' && input)
          // The engine settles inside a transaction of its own (a client), where the news joins it.
          await reportBuildOutcome(deps, tx as DbClient, input, {
            operationId: ended.id,
            run: ended.run,
            failed: true,
            reason: failureReason(ended),
          });
      },
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
    // Waits for main's pipeline and the release of the merged commit, each bounded by its own timeouts.
    defineBuildStep<BuildInput>('land', { timeoutMs: 125 * MINUTE }, (ctx) => landStep(deps, ctx)),
    defineWorkflow(MAIN_RELEASE_KIND, MainReleaseInput, (input) => [
      { key: 'deploy', step: 'studio.deploy-main', input },
      { key: 'verify', step: 'studio.verify-main', input, dependsOn: ['deploy'] },
    ]),
    defineStep<MainReleaseInput>('studio.deploy-main', {
      retry: { maxAttempts: 2, baseMs: 1_000, maxMs: 5_000 },
      timeoutMs: 25 * MINUTE,
      handler: (ctx) => nonRetryableOnDomain(deployMainStep(deps, ctx)),
    }),
    defineStep<MainReleaseInput>('studio.verify-main', {
      handler: (ctx) => nonRetryableOnDomain(verifyMainStep(deps, ctx)),
    }),
    defineStep<MainReportInput>('studio.report-main-verification', {
      handler: (ctx) => nonRetryableOnDomain(reportMainStep(deps, ctx)),
    }),
    defineWorkflow(VERIFY_ENVIRONMENT_KIND, VerifyEnvironmentInput, (input) => [
      { key: ENVIRONMENT_BROWSER_KEY, step: VERIFY_STEP, input: input.verify },
      {
        key: 'report',
        step: 'studio.report-environment-verification',
        input,
        dependsOn: [ENVIRONMENT_BROWSER_KEY],
      },
    ]),
    defineWorkflow(VERIFY_MERGE_REQUEST_KIND, VerifyMergeRequestInput, (input) => [
      { key: 'verify', step: 'studio.verify-merge-request', input },
    ]),
    // Waits for the preview's deploy, bounded by its own deadline.
    defineStep<VerifyMergeRequestInput>('studio.verify-merge-request', {
      timeoutMs: 30 * MINUTE,
      handler: (ctx) => nonRetryableOnDomain(verifyMergeRequestStep(deps, ctx)),
    }),
    defineStep<VerifyEnvironmentInput>('studio.report-environment-verification', {
      handler: (ctx) => nonRetryableOnDomain(reportEnvironmentVerificationStep(deps, ctx)),
    }),
    defineWorkflow('studio.architect-turn', ArchitectTurnInput, (input) => [
      { key: 'reply', step: 'studio.architect-reply', input },
    ]),
    defineStep<ArchitectTurnInput>('studio.architect-reply', {
      retry: { maxAttempts: 2, baseMs: 500, maxMs: 2_000 },
      timeoutMs: 10 * MINUTE,
      handler: (ctx) => nonRetryableOnDomain(architectReplyStep(deps, ctx)),
    }),
    defineWorkflow(CLASSIFY_ISSUE_KIND, ClassifyIssueInput, (input) => [
      { key: 'classify', step: CLASSIFY_ISSUE_KIND, input },
    ]),
    defineStep<ClassifyIssueInput>(CLASSIFY_ISSUE_KIND, {
      retry: { maxAttempts: 2, baseMs: 500, maxMs: 2_000 },
      timeoutMs: 2 * MINUTE,
      handler: (ctx) => nonRetryableOnDomain(classifyIssueStep(deps, ctx)),
    }),
  );
}

/** Domain errors (a bad app.yml, a refused permission) will not get better by retrying. */
function nonRetryableOnDomain<T>(work: Promise<T>): Promise<T> {
  return work.catch((error) => {
    throw error instanceof DomainError ? new NonRetryableError(error.message) : error;
  });
}
