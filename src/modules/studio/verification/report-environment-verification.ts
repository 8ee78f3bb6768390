import type { VerificationResult } from '../../automation/index.ts';
import { NonRetryableError, type StepContext } from '../../operations/index.ts';
import { actorOf, type StudioDeps } from '../deps.ts';
import { recordVerification } from './record-verification.ts';
import type { VerifyEnvironmentInput } from './verify-environment-input.ts';

/** The key of the robot's run in `studio.verify-environment` (its screenshots and pages). */
export const ENVIRONMENT_BROWSER_KEY = 'browser';

/**
 * `report`: the robot's verdict on an environment. A run of its full checks is recorded on the
 * release it runs and as the commit's `browser-verification` check; a failure fails the operation.
 */
export async function reportEnvironmentVerificationStep(
  deps: StudioDeps,
  ctx: StepContext<VerifyEnvironmentInput>,
) {
  const result = ctx.deps[ctx.input.browserKey ?? ENVIRONMENT_BROWSER_KEY] as VerificationResult | undefined;
  if (!result) throw new NonRetryableError('The browser robot left no result.');
  const { release, url } = ctx.input;
  const failed = result.pages.filter((p) => !p.passed);
  let summary = result.passed
    ? `All ${result.pages.length} page(s) passed in a real browser.`
    : `${failed.length} of ${result.pages.length} page(s) failed: ${failed.map((p) => p.name).join(', ')}`;
  if (release && ctx.projectId) {
    ({ summary } = await recordVerification(deps, ctx, {
      actor: actorOf(ctx.input.requestedBy),
      projectId: ctx.projectId,
      releaseId: release.id,
      sha: release.sha,
      url,
      result,
    }));
  }
  ctx.log(summary);
  if (!result.passed) throw new NonRetryableError(`Browser verification failed: ${summary}`);
  await ctx.emit({ type: 'phase', phase: 'done', message: `Verified: ${summary}` });
  return { passed: true, summary, pages: result.pages.length };
}
