import type { RequestContext } from '../../../platform/context.ts';
import { ConflictError } from '../../../platform/errors.ts';
import { requireEnvRole, requireKept, resolveReleaseRef } from '../access.ts';
import type { DeployDeps } from '../deps.ts';
import { parseEnvName } from '../env-name.ts';
import { requireEnvironment } from '../remove-environment.ts';
import { deployRelease } from './deploy-release.ts';
import { previousRelease } from './deployment-store.ts';
import { findRelease } from './release-store.ts';

/**
 * Re-routes an environment to a kept release — by default the one it ran before the current one —
 * with the health-gated swap and no rebuild. Production needs maintainers and a verified release.
 */
export async function rollbackEnvironment(
  deps: DeployDeps,
  ctx: RequestContext,
  input: { slug: string; env: string; release?: string },
) {
  const name = parseEnvName(input.env);
  const { project } = await requireEnvRole(deps.db, ctx.actor, input.slug, name);
  const env = await requireEnvironment(deps, project.id, name.name);
  const release = input.release
    ? await resolveReleaseRef(deps.db, project.id, input.release)
    : await findPrevious(deps, env.id, env.current_release_id);
  requireKept(release);
  if (name.kind === 'production' && !release.verified) {
    throw new ConflictError(
      `Release ${release.sha.slice(0, 7)} has not passed verification; run verify first.`,
    );
  }
  const environment = await deployRelease(deps, { project, env: name, release, kind: 'rollback', ctx });
  return { environment, release };
}

async function findPrevious(deps: DeployDeps, envId: string, currentId: string | null) {
  const id = await previousRelease(deps.db, envId, currentId);
  const release = id ? await findRelease(deps.db, id) : undefined;
  if (!release)
    throw new ConflictError(
      'There is no earlier release of this environment to roll back to: it has run only this one (or the earlier ones were pruned). Pick a kept release from the release list to deploy instead.',
    );
  return release;
}
