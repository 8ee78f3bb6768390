import { z } from 'zod';
import { SMOKE_FILE, type VerificationResult } from '../../automation/index.ts';
import { markReleaseVerified } from '../../deploy/index.ts';
import { readFileAt, repositoryPath } from '../../git/index.ts';
import { NonRetryableError, type StepContext } from '../../operations/index.ts';
import { reportCheck } from '../../reviews/index.ts';
import { advanceFeature } from '../advance-feature.ts';
import { actorOf, type StudioDeps } from '../deps.ts';
import { setBlueprintStatus } from '../store.ts';
import { BuildInput, type DeployOutput } from './build-input.ts';
import { enterPhase, loadBuild } from './build-step.ts';

export const VERIFY_STEP = 'automation.verify';
/** The key of the browser run inside a build (`verify` fans it out as `browser`): its output holds the pages. */
export const VERIFY_BROWSER_KEY = 'verify/browser';
export const VERIFICATION_CHECK = 'browser-verification';

/** What `verify/report` needs besides the build: the release the browser checked. */
export const ReportInput = BuildInput.extend({
  releaseId: z.uuid(),
  sha: z.string().min(7),
  url: z.string(),
});
export type ReportInput = z.infer<typeof ReportInput>;

/**
 * `verify`: fans out the browser robot (`automation.verify` on the `browser` queue, so its
 * screenshots are events of this operation) against the staging URL with the Blueprint's smoke
 * suite, then `verify/report` records the verdict. The step succeeds once both children have.
 */
export async function verifyStep(deps: StudioDeps, ctx: StepContext<BuildInput>) {
  await enterPhase(deps, ctx, 'verify', 'Checking staging in a browser');
  if (!deps.registry.step(VERIFY_STEP)) {
    throw new NonRetryableError(
      `The browser robot (${VERIFY_STEP}) is not registered in this Orchard, so staging cannot be verified.`,
    );
  }
  const { blueprint, project } = await loadBuild(deps, ctx.input);
  const deployed = ctx.deps.deploy as DeployOutput;
  // What was asked, checked as a user would: the Blueprint's user stories always; with them the
  // acceptance checks the commit carries (an agent writes them for what it built), else the
  // checks derived from the Blueprint's pages.
  const repo = repositoryPath(deps.config.home, project.slug);
  const smokeYaml = await readFileAt(repo, deployed.sha, SMOKE_FILE);
  const suite = { blueprint: blueprint.document, ...(smokeYaml !== undefined ? { smokeYaml } : {}) };
  const stories = (blueprint.document.userStories ?? []).filter((s) =>
    s.acceptance.some((a) => a.check),
  ).length;
  const told = stories ? ` and ${stories} user stor${stories === 1 ? 'y' : 'ies'} of the Blueprint` : '';
  ctx.log(
    smokeYaml !== undefined
      ? `The browser robot runs the acceptance checks in ${SMOKE_FILE}${told} at ${deployed.url}.`
      : `The browser robot visits the Blueprint's pages${told} at ${deployed.url}.`,
  );
  await ctx.addSteps([
    { key: 'browser', step: VERIFY_STEP, input: { baseUrl: deployed.url, ...suite } },
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

function failures(result: VerificationResult): string {
  const bad = result.pages.filter((p) => !p.passed);
  return bad
    .map(
      (p) =>
        `${p.name} (${p.url}): ${
          p.checks
            .filter((c) => !c.passed)
            .map((c) => `${c.name}: ${c.message}`)
            .join('; ') || 'failed'
        }`,
    )
    .join(' | ');
}

/**
 * `verify/report`: the robot's verdict becomes the release's verification (only a verified release
 * may be published) and the `browser-verification` check of the commit; a pass finishes the
 * feature and builds the Blueprint, a failure fails the build.
 */
export async function reportVerificationStep(deps: StudioDeps, ctx: StepContext<ReportInput>) {
  const result = ctx.deps[VERIFY_BROWSER_KEY] as VerificationResult | undefined;
  if (!result) throw new NonRetryableError('The browser robot left no result.');
  const { project } = await loadBuild(deps, ctx.input);
  const actor = actorOf(ctx.input.requestedBy);
  await markReleaseVerified(deps.deploy.deps, { actor }, ctx.input.releaseId, {
    operationId: ctx.operationId,
    passed: result.passed,
  });
  const passedPages = result.pages.filter((p) => p.passed).length;
  const summary = result.passed
    ? `All ${result.pages.length} page(s) passed in a real browser.`
    : `${result.pages.length - passedPages} of ${result.pages.length} page(s) failed: ${failures(result)}`.slice(
        0,
        1000,
      );
  await reportCheck(deps.db, {
    projectId: project.id,
    sha: ctx.input.sha,
    name: VERIFICATION_CHECK,
    status: result.passed ? 'success' : 'failure',
    summary,
    targetUrl: ctx.input.url,
    details: {
      operationId: ctx.operationId,
      releaseId: ctx.input.releaseId,
      pages: result.pages.map((p) => ({
        name: p.name,
        url: p.url,
        passed: p.passed,
        screenshot: p.screenshot?.url ?? p.screenshot?.blobId ?? null,
      })),
    },
  });
  await ctx.emit({
    type: 'artifact',
    kind: 'check',
    name: VERIFICATION_CHECK,
    status: result.passed ? 'success' : 'failure',
    summary,
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
