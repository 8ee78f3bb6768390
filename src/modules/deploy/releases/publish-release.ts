import type { RequestContext } from '../../../platform/context.ts';
import { ConflictError } from '../../../platform/errors.ts';
import { DEFAULT_BRANCH, protectedBranchContaining, repositoryPath } from '../../git/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import { requireKept, resolveReleaseRef } from '../access.ts';
import { backUpBeforePublish } from '../databases/back-up-before-publish.ts';
import type { DeployDeps } from '../deps.ts';
import { findEnvironmentByName } from '../environment-store.ts';
import { deployRelease } from './deploy-release.ts';
import { findRelease, type ReleaseRow } from './release-store.ts';

/**
 * Promotes a verified release of a `main` commit to production with the same health-gated swap:
 * by default the release staging runs. An unverified release is refused (409) so nothing untested
 * goes live, and so is a branch's commit not merged yet: production runs what main has. When
 * production has a database, it is backed up first (see databases/).
 */
export async function publishRelease(
  deps: DeployDeps,
  ctx: RequestContext,
  input: { slug: string; release?: string; operationId?: string | null },
) {
  const { project } = await requireProjectRole(deps.db, ctx.actor, input.slug, 'maintainer');
  let release: ReleaseRow | undefined;
  if (input.release) {
    release = await resolveReleaseRef(deps.db, project.id, input.release);
  } else {
    const staging = await findEnvironmentByName(deps.db, project.id, 'staging');
    if (staging?.current_release_id) release = await findRelease(deps.db, staging.current_release_id);
    if (!release)
      throw new ConflictError('Staging runs no release yet; deploy to staging and verify it first.');
  }
  if (!release.verified) {
    throw new ConflictError(
      `Release ${release.sha.slice(0, 7)} has not passed verification; run verify first.`,
      {
        release: release.id,
      },
    );
  }
  const repo = repositoryPath(deps.config.home, project.slug);
  if ((await protectedBranchContaining(repo, release.sha)) !== DEFAULT_BRANCH) {
    throw new ConflictError(
      `Release ${release.sha.slice(0, 7)} is ${release.branch ? `of the branch "${release.branch}"` : 'a commit'} that ${DEFAULT_BRANCH} does not have yet; merge it first: production runs what ${DEFAULT_BRANCH} has.`,
      { release: release.id },
    );
  }
  requireKept(release);
  // Production's database is backed up first; the release's migration runs as it starts.
  const backup = await backUpBeforePublish(deps, project, release);
  const environment = await deployRelease(deps, {
    project,
    env: { name: 'production', kind: 'production' },
    release,
    kind: 'publish',
    ctx,
    operationId: input.operationId,
  });
  return { environment, release, backup };
}
