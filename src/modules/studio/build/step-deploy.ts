import { markSpanEnvironment } from '../../../platform/tracing.ts';
import { deployRef, previewName } from '../../deploy/index.ts';
import type { StepContext } from '../../operations/index.ts';
import { actorOf, type StudioDeps } from '../deps.ts';
import type { BuildInput, DeployOutput, ImplementOutput } from './build-input.ts';
import { enterPhase, loadBuild } from './build-step.ts';

/**
 * `deploy`: the branch's commit becomes its preview (`preview/<branch>`) behind the health-gated
 * swap. Staging is not the build's: it runs what `main` has, released once the branch is merged
 * and `main` passes its pipeline (main-release).
 */
export async function deployStep(deps: StudioDeps, ctx: StepContext<BuildInput>): Promise<DeployOutput> {
  const target = previewName((ctx.deps.implement as ImplementOutput).branch);
  await enterPhase(deps, ctx, 'deploy', 'Deploying a preview');
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
      // Its merge request's preview deploy may have started this very commit already.
      unlessServing: true,
    },
  );
  // The step's span (and its children) belong to the preview's telemetry too.
  markSpanEnvironment({ id: environment.id, projectId: environment.project_id });
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
