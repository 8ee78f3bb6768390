import type { Db } from '../../../platform/db/pool.ts';
import { type DeployRuntime, type EnvironmentSummary, summarizeEnvironments } from '../../deploy/index.ts';
import { findLatestOperations, type LatestOperation } from '../../operations/index.ts';
import type { EnvironmentOverview, ProjectOverview, ProjectOverviews } from '../../projects/index.ts';
import { countOpenReviews } from '../../reviews/index.ts';
import { findVerificationThumbnails } from './verification-thumbnails.ts';

/** Operations that build a Blueprint: the Studio's "Build" (and the landing prompt's, in older data). */
export const BUILD_KINDS = ['studio.build', 'studio.prompt'] as const;

/**
 * The projects list's overviews, composed from the modules that own each part: the newest build
 * (operations), staging and production (deploy), the verification screenshot (the build's browser
 * run), open merge requests and issues (reviews). A page of projects costs six statements, however
 * many projects it holds.
 */
export function projectOverviews(deps: { db: Db; deploy: Pick<DeployRuntime, 'urls'> }): ProjectOverviews {
  const { db } = deps;
  return {
    async of(projectIds) {
      const [builds, environments, reviews] = await Promise.all([
        findLatestOperations(db, projectIds, { kinds: BUILD_KINDS }),
        summarizeEnvironments(db, deps.deploy.urls, projectIds),
        countOpenReviews(db, projectIds),
      ]);
      // Staging's verified release shows what is being tried; production's when staging has none.
      const verifiedBy = new Map<string, string>();
      for (const [projectId, env] of environments) {
        const verified = [env.staging, env.production].find(
          (e) => e?.release?.verified && e.release.verificationOperationId,
        );
        if (verified) verifiedBy.set(projectId, verified.release!.verificationOperationId!);
      }
      const thumbnails = await findVerificationThumbnails(db, [...verifiedBy.values()]);
      return new Map(
        projectIds.map((id): [string, ProjectOverview] => {
          const env = environments.get(id);
          const build = builds.get(id);
          const verifier = verifiedBy.get(id);
          return [
            id,
            {
              lastBuild: build ? buildOverview(build) : null,
              staging: env?.staging ? environmentOverview(env.staging) : null,
              production: env?.production ? environmentOverview(env.production) : null,
              thumbnailUrl: (verifier && thumbnails.get(verifier)) || null,
              openMergeRequests: reviews.get(id)?.openMergeRequests ?? 0,
              openIssues: reviews.get(id)?.openIssues ?? 0,
            },
          ];
        }),
      );
    },

    async lastActivity(projectIds) {
      const latest = await findLatestOperations(db, projectIds);
      return new Map([...latest].map(([id, op]) => [id, op.created_at]));
    },
  };
}

function buildOverview(op: LatestOperation): NonNullable<ProjectOverview['lastBuild']> {
  return {
    operationId: op.id,
    kind: op.kind,
    status: op.status,
    createdAt: op.created_at.toISOString(),
    finishedAt: op.finished_at?.toISOString() ?? null,
  };
}

function environmentOverview(e: EnvironmentSummary): EnvironmentOverview {
  return {
    url: e.url,
    status: e.status,
    deployedAt: e.deployedAt,
    shortSha: e.release?.shortSha ?? null,
    verified: e.release?.verified ?? false,
    verificationOperationId: e.release?.verificationOperationId ?? null,
  };
}
