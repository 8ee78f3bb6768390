import { z } from 'zod';
import type { VerificationResult } from '../../automation/index.ts';
import { NonRetryableError, type StepContext } from '../../operations/index.ts';
import { advanceFeature } from '../advance-feature.ts';
import { actorOf, type StudioDeps } from '../deps.ts';
import { setBlueprintStatus } from '../store.ts';
import { recordVerification } from '../verification/record-verification.ts';
import { VERIFY_BROWSER_KEY, VERIFY_STEP, verificationSuite } from '../verification/verification-suite.ts';
import { BuildInput, type DeployOutput } from './build-input.ts';
import { enterPhase, loadBuild } from './build-step.ts';

/** What `verify/report` needs besides the build: the release the browser checked. */
export const ReportInput = BuildInput.extend({
  releaseId: z.uuid(),
  sha: z.string().min(7),
  url: z.string(),
});
export type ReportInput = z.infer<typeof ReportInput>;

/**
 * `verify`: fans out the browser robot (`automation.verify` on the `browser` queue, so its
 * screenshots are events of this operation) against the branch's preview with the Blueprint's
 * checks, then `verify/report` records the verdict. The step succeeds once both children have.
 */
export async function verifyStep(deps: StudioDeps, ctx: StepContext<BuildInput>) {
  const deployed = ctx.deps.deploy as DeployOutput;
  await enterPhase(deps, ctx, 'verify', `Checking ${deployed.environment} in a browser`);
  if (!deps.registry.step(VERIFY_STEP)) {
    throw new NonRetryableError(
      `The browser robot (${VERIFY_STEP}) is not registered in this Orchard, so ${deployed.environment} cannot be verified.`,
    );
  }
  const { blueprint, project } = await loadBuild(deps, ctx.input);
  const suite = await verificationSuite(deps.config.home, project.slug, {
    sha: deployed.sha,
    url: deployed.url,
    blueprint: blueprint.document,
  });
  ctx.log(suite.says);
  await ctx.addSteps([
    { key: 'browser', step: VERIFY_STEP, input: suite.input },
    {
      key: 'report',
      step: 'studio.report-verification',
      input: {
        ...ctx.input,
        releaseId: deployed.releaseId,
        sha: deployed.sha,
        url: deployed.url,
      } satisfies ReportInput,
      dependsOn: ['browser'],
    },
  ]);
  // The build's output (its last top-level step); the verdict is `verify/report`'s output.
  return { url: deployed.url, releaseId: deployed.releaseId, sha: deployed.sha };
}

/**
 * `verify/report`: the robot's verdict becomes the release's verification and the commit's
 * `browser-verification` check; a pass finishes the feature and builds the Blueprint, a failure
 * fails the build.
 */
export async function reportVerificationStep(deps: StudioDeps, ctx: StepContext<ReportInput>) {
  const result = ctx.deps[VERIFY_BROWSER_KEY] as VerificationResult | undefined;
  if (!result) throw new NonRetryableError('The browser robot left no result.');
  const { project } = await loadBuild(deps, ctx.input);
  const { summary } = await recordVerification(deps, ctx, {
    actor: actorOf(ctx.input.requestedBy),
    projectId: project.id,
    releaseId: ctx.input.releaseId,
    sha: ctx.input.sha,
    url: ctx.input.url,
    result,
  });
  if (!result.passed) throw new NonRetryableError(`Browser verification failed: ${summary}`);
  await advanceFeature(deps.db, deps.clock, ctx.input.featureId, 'done', 'verified');
  await setBlueprintStatus(deps.db, ctx.input.blueprintId, 'built');
  await ctx.emit({
    type: 'phase',
    phase: 'done',
    featureId: ctx.input.featureId,
    message: `Verified: ${summary}`,
  });
  ctx.log(summary);
  return { passed: true, releaseId: ctx.input.releaseId, pages: result.pages.length };
}
