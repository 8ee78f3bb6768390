import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { markSpanEnvironment } from '../../../platform/tracing.ts';
import type { VerificationResult } from '../../automation/index.ts';
import { deployRelease, prepareRelease } from '../../deploy/index.ts';
import { branchHead, DEFAULT_BRANCH, repositoryPath } from '../../git/index.ts';
import { NonRetryableError, type StepContext } from '../../operations/index.ts';
import { findProjectById, type ProjectRow } from '../../projects/index.ts';
import type { StudioDeps } from '../deps.ts';
import { builtBlueprint } from '../verification/built-blueprint.ts';
import { recordVerification } from '../verification/record-verification.ts';
import { VERIFY_BROWSER_KEY, VERIFY_STEP, verificationSuite } from '../verification/verification-suite.ts';
import type { MainDeployOutput, MainReleaseInput, MainReportInput } from './main-release-input.ts';

async function projectOf(deps: StudioDeps, ctx: StepContext<unknown>): Promise<ProjectRow> {
  const project = ctx.projectId ? await findProjectById(deps.db, ctx.projectId) : undefined;
  if (!project) throw new NonRetryableError('The release has no project.');
  return project;
}

/**
 * `deploy`: main's commit becomes the staging release behind the health-gated swap — unless main
 * has moved on meanwhile: then the newer commit's own release follows, and this one stands aside
 * (an older commit never replaces a newer one on staging).
 */
export async function deployMainStep(
  deps: StudioDeps,
  ctx: StepContext<MainReleaseInput>,
): Promise<MainDeployOutput> {
  const project = await projectOf(deps, ctx);
  const { sha } = ctx.input;
  const repo = repositoryPath(deps.config.home, project.slug);
  const movedOn = async () => {
    const head = await branchHead(repo, DEFAULT_BRANCH);
    if (head === sha) return false;
    ctx.log(
      `${DEFAULT_BRANCH} moved on to ${head?.slice(0, 7) ?? 'nothing'}; that commit's release follows, so ${sha.slice(0, 7)} is not deployed.`,
    );
    return true;
  };
  if (await movedOn()) return { deployed: false, sha };
  await ctx.emit({
    type: 'phase',
    phase: 'deploy',
    message: `Releasing ${sha.slice(0, 7)} of ${DEFAULT_BRANCH} on staging`,
  });
  await ctx.progress(0, `Preparing the release of ${sha.slice(0, 7)}`);
  const release = await prepareRelease(deps.deploy.deps, {
    project,
    ref: sha,
    branch: DEFAULT_BRANCH,
    actorName: SYSTEM_ACTOR.username,
    onLog: (line, stream) => ctx.log(line, stream),
    signal: ctx.signal,
  });
  // Its build may take a while: a newer commit of main may have been released meanwhile.
  if (await movedOn()) return { deployed: false, sha };
  const environment = await deployRelease(deps.deploy.deps, {
    project,
    env: { name: 'staging', kind: 'staging' },
    release,
    kind: 'deploy',
    ctx: { actor: SYSTEM_ACTOR },
    operationId: ctx.operationId,
  });
  markSpanEnvironment({ id: environment.id, projectId: environment.project_id });
  const url = deps.deploy.urls.app(environment.host_label);
  await ctx.emit({
    type: 'artifact',
    kind: 'url',
    name: 'staging',
    url,
    releaseId: release.id,
    sha: release.sha,
  });
  await ctx.progress(1, `staging serves ${release.sha.slice(0, 7)} at ${url}`);
  return { deployed: true, releaseId: release.id, url, sha: release.sha };
}

/**
 * `verify`: the browser robot checks staging as a user would — the commit's `.orchard/smoke.yml`
 * and the user stories of the Blueprint the project's app was last built from — and `verify/report`
 * records the verdict on the release (only a verified release may be published).
 */
export async function verifyMainStep(deps: StudioDeps, ctx: StepContext<MainReleaseInput>) {
  const deployed = ctx.deps.deploy as MainDeployOutput;
  if (!deployed.deployed || !deployed.releaseId || !deployed.url) return { skipped: true };
  if (!deps.registry.step(VERIFY_STEP))
    throw new NonRetryableError(
      `The browser robot (${VERIFY_STEP}) is not registered in this Orchard, so staging cannot be verified.`,
    );
  const project = await projectOf(deps, ctx);
  await ctx.emit({ type: 'phase', phase: 'verify', message: 'Checking staging in a browser' });
  const blueprint = await builtBlueprint(deps.db, project.id);
  const suite = await verificationSuite(deps.config.home, project.slug, {
    sha: deployed.sha,
    url: deployed.url,
    ...(blueprint ? { blueprint } : {}),
  });
  ctx.log(suite.says);
  await ctx.addSteps([
    { key: 'browser', step: VERIFY_STEP, input: suite.input },
    {
      key: 'report',
      step: 'studio.report-main-verification',
      input: { ...ctx.input, releaseId: deployed.releaseId, url: deployed.url } satisfies MainReportInput,
      dependsOn: ['browser'],
    },
  ]);
  return { skipped: false };
}

/** `verify/report`: the verdict on the release and the commit; a failure fails the release. */
export async function reportMainStep(deps: StudioDeps, ctx: StepContext<MainReportInput>) {
  const result = ctx.deps[VERIFY_BROWSER_KEY] as VerificationResult | undefined;
  if (!result) throw new NonRetryableError('The browser robot left no result.');
  const deployed = ctx.input;
  const project = await projectOf(deps, ctx);
  const { passed, summary } = await recordVerification(deps, ctx, {
    actor: SYSTEM_ACTOR,
    projectId: project.id,
    releaseId: deployed.releaseId,
    sha: deployed.sha,
    url: deployed.url,
    result,
  });
  if (!passed) throw new NonRetryableError(`Staging failed verification: ${summary}`);
  await ctx.emit({ type: 'phase', phase: 'done', message: `Staging verified: ${summary}` });
  ctx.log(summary);
  return { passed: true, releaseId: deployed.releaseId, url: deployed.url, sha: deployed.sha, summary };
}
