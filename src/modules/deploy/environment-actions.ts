import type { RequestContext } from '../../platform/context.ts';
import type { Registry } from '../operations/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import type { EnvironmentWithSlug } from './environment-store.ts';
import { environmentViews, listEnvironmentViews } from './list-environments.ts';
import { publishRelease } from './releases/publish-release.ts';
import type { ReleaseRow } from './releases/release-store.ts';
import { rollbackEnvironment } from './releases/rollback-environment.ts';
import type { DeployRuntime } from './serve/runtime.ts';
import { startDeploy } from './start-deploy.ts';
import { toReleaseView } from './views.ts';

/**
 * What the environment routes answer, as use cases the HTTP API and the MCP tools share: the
 * project's environments, a deploy started, publish and rollback with the environment's view.
 */
export type EnvironmentActionDeps = { deploy: Pick<DeployRuntime, 'deps' | 'urls'>; registry: Registry };

async function outcome(
  res: EnvironmentActionDeps,
  done: { environment: EnvironmentWithSlug; release: ReleaseRow },
) {
  const [environment] = await environmentViews(res.deploy.deps.db, res.deploy.urls, [done.environment]);
  return { environment: environment!, release: toReleaseView(done.release) };
}

/** Staging, production and previews of a project with what they run (viewers). */
export async function listProjectEnvironments(res: EnvironmentActionDeps, ctx: RequestContext, slug: string) {
  const { project } = await requireProjectRole(res.deploy.deps.db, ctx.actor, slug, 'viewer');
  return {
    items: await listEnvironmentViews(res.deploy.deps.db, res.deploy.urls, project.id),
    nextCursor: null,
  };
}

/** Starts deploying a ref to staging or a preview (`deploy.release`); answers with its operation. */
export function deployToEnvironment(
  res: EnvironmentActionDeps,
  ctx: RequestContext,
  input: { slug: string; env: string; ref?: string },
) {
  return startDeploy(res.deploy.deps, res.registry, ctx, input);
}

/** Publishes a verified release of main (default: what staging runs) to production (maintainers). */
export async function publishToProduction(
  res: EnvironmentActionDeps,
  ctx: RequestContext,
  input: { slug: string; release?: string },
) {
  return outcome(res, await publishRelease(res.deploy.deps, ctx, input));
}

/** Rolls an environment back to a kept release (default: the one before). */
export async function rollBack(
  res: EnvironmentActionDeps,
  ctx: RequestContext,
  input: { slug: string; env: string; release?: string },
) {
  return outcome(res, await rollbackEnvironment(res.deploy.deps, ctx, input));
}
