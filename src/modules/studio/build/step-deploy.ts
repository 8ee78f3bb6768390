import { deployRef, previewName } from '../../deploy/index.ts';
import type { StepContext } from '../../operations/index.ts';
import { actorOf, type StudioDeps } from '../deps.ts';
import type { BuildInput, DeployOutput, ImplementOutput } from './build-input.ts';
import { enterPhase, loadBuild } from './build-step.ts';

/**
 * `deploy`: the branch's commit becomes the staging release, behind the health-gated swap — or,
 * for a change request, the branch's preview (`preview/<branch>`), leaving staging as it is.
 */
export async function deployStep(deps: StudioDeps, ctx: StepContext<BuildInput>): Promise<DeployOutput> {
  const target = ctx.input.change ? previewName((ctx.deps.implement as ImplementOutput).branch) : 'staging';
  await enterPhase(deps, ctx, 'deploy', ctx.input.change ? 'Deploying a preview' : 'Deploying to staging');
  const { project } = await loadBuild(deps, ctx.input);
  const impl = ctx.deps.implement as ImplementOutput;
  await ctx.progress(0, `Preparing the release of ${impl.sha.slice(0, 7)}`);
  const { environment, release } = await deployRef(
    deps.deploy.deps,
    { actor: actorOf(ctx.input.requestedBy) },
    {
      slug: project.slug,
      env: target,
      ref: impl.sha,
      operationId: ctx.operationId,
      onLog: (line, stream) => ctx.log(line, stream),
      signal: ctx.signal,
    },
  );
  const url = deps.deploy.urls.app(environment.host_label);
  await ctx.emit({
    type: 'artifact',
    kind: 'url',
    name: target,
    url,
    releaseId: release.id,
    sha: release.sha,
  });
  await ctx.progress(1, `${target} serves ${release.sha.slice(0, 7)} at ${url}`);
  return { environment: target, releaseId: release.id, sha: release.sha, url, port: environment.port };
}
