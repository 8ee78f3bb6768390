import type { RequestContext } from '../../../platform/context.ts';
import { ValidationError } from '../../../platform/errors.ts';
import { requireEnvRole } from '../access.ts';
import { requireAgentMayDeploy } from '../agent-deploy-rule.ts';
import type { DeployDeps } from '../deps.ts';
import { parseEnvName } from '../env-name.ts';
import type { EnvironmentWithSlug } from '../environment-store.ts';
import { deployRelease } from './deploy-release.ts';
import { prepareRelease } from './prepare-release.ts';
import type { ReleaseRow } from './release-store.ts';

export interface DeployRefInput {
  slug: string;
  /** `staging` or `preview/<branch>`; production is changed only by publish and rollback. */
  env: string;
  /** Branch, tag or sha; default: the preview's branch, or `main` for staging. */
  ref?: string;
  /** The branch the release is of, when `ref` is a sha (default: the preview's branch). */
  branch?: string;
  operationId?: string | null;
  onLog?(line: string, stream: 'stdout' | 'stderr'): void;
  signal?: AbortSignal;
  /** Leave the environment be when it already runs (or is starting) this release. */
  unlessServing?: boolean;
}

/**
 * Checks the caller may deploy to `env` (an agent: only its own branch's preview) and that the
 * target is deployable; returns the parsed pieces.
 */
export async function checkDeployRef(deps: DeployDeps, ctx: RequestContext, input: DeployRefInput) {
  const env = parseEnvName(input.env);
  requireAgentMayDeploy(ctx.actor, env, input.ref);
  if (env.kind === 'production') {
    throw new ValidationError(
      'Production is changed only by publishing a verified release: POST /api/projects/:slug/publish.',
      [{ field: 'env', message: 'must be staging or preview/<branch>' }],
    );
  }
  const { project } = await requireEnvRole(deps.db, ctx.actor, input.slug, env);
  return { env, project, ref: input.ref ?? env.branch ?? 'main' };
}

/** Manual deploy: prepares the release of `ref` (extract + build, or reuse) and swaps it in. */
export async function deployRef(
  deps: DeployDeps,
  ctx: RequestContext,
  input: DeployRefInput,
): Promise<{ environment: EnvironmentWithSlug; release: ReleaseRow }> {
  const { env, project, ref } = await checkDeployRef(deps, ctx, input);
  const release = await prepareRelease(deps, {
    project,
    ref,
    branch: input.branch ?? env.branch,
    actorName: ctx.actor.username,
    onLog: input.onLog,
    signal: input.signal,
  });
  const environment = await deployRelease(deps, {
    project,
    env,
    release,
    kind: 'deploy',
    ctx,
    operationId: input.operationId,
    unlessServing: input.unlessServing,
  });
  return { environment, release };
}
