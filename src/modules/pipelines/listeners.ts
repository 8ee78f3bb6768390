import { isSystemActor } from '../../platform/http/actor.ts';
import { branchOf, type PushEvent, ZERO_SHA } from '../git/index.ts';
import type { ReviewEvent } from '../reviews/index.ts';
import { announceCommitPassed } from './commit-passed.ts';
import type { PipelineDeps } from './deps.ts';
import { triggerPipeline } from './trigger-pipeline.ts';

const SKIP = /\[(skip ci|ci skip|no ci)\]/i;

/**
 * A push to a branch runs its pipeline, unless the head commit says `[skip ci]` or `[no ci]`; a
 * commit no pipeline applies to has passed.
 */
export function pipelinesOnPush(res: PipelineDeps) {
  return async (push: PushEvent) => {
    for (const u of push.updates) {
      const branch = branchOf(u.ref);
      if (!branch || u.newSha === ZERO_SHA) continue;
      if (u.headCommit && SKIP.test(u.headCommit.message)) {
        res.logger.info({ project: push.projectSlug, ref: u.ref }, 'pipeline skipped by commit message');
        continue;
      }
      const triggered = await triggerPipeline(res, {
        projectId: push.projectId,
        projectSlug: push.projectSlug,
        ref: branch,
        sha: u.newSha,
        trigger: 'push',
        actor: push.actor,
      });
      // Nothing to test: the commit passes as it is (a project without a pipeline still deploys).
      if (triggered.kind === 'no_file' || triggered.kind === 'no_jobs')
        await announceCommitPassed(
          res.onCommitPassed,
          {
            projectId: push.projectId,
            ref: branch,
            sha: u.newSha,
            actorId: isSystemActor(push.actor) ? null : push.actor.userId,
            pipeline: null,
          },
          (error) =>
            res.logger.error(
              { err: error, project: push.projectSlug },
              'a listener of passed commits failed',
            ),
        );
    }
  };
}

/**
 * An opened (or reopened) merge request gets a pipeline for its head, deduplicated with the
 * branch pipeline of the same commit: when the push already started one, that one is the check.
 */
export function pipelinesOnReviewEvent(res: PipelineDeps) {
  return async (event: ReviewEvent) => {
    if (event.type !== 'merge_request' || !['opened', 'reopened'].includes(event.action)) return;
    const mr = event.mergeRequest;
    await triggerPipeline(res, {
      projectId: event.projectId,
      projectSlug: event.projectSlug,
      ref: mr.sourceBranch,
      sha: mr.headSha,
      trigger: 'merge_request',
      actor: event.actor,
      mergeRequestId: mr.id,
    });
  };
}
