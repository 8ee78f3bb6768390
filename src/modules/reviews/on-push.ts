import type { Resources } from '../../platform/resources.ts';
import { branchOf, isAncestor, type PushEvent, repositoryPath, ZERO_SHA } from '../git/index.ts';
import { checksFor } from './check-store.ts';
import { publishReviewEvent, type ReviewListener } from './events.ts';
import { updateMergeRequest } from './merge-request-store.ts';
import { openMergeRequestsOn } from './open-merge-requests-on.ts';
import { toMergeRequestView } from './views.ts';

/**
 * Keeps merge requests in step with pushes: a new source head is recorded (its checks start
 * empty: checks belong to commits), and a target that now contains the source head marks the
 * merge request merged (someone merged it by hand and pushed).
 */
export function reviewsOnPush(res: Resources, onEvent: ReviewListener[]) {
  return async (push: PushEvent) => {
    const repo = repositoryPath(res.config.home, push.projectSlug);
    for (const update of push.updates) {
      const branch = branchOf(update.ref);
      if (!branch || update.newSha === ZERO_SHA) continue;
      for (const mr of await openMergeRequestsOn(res.db, push.projectId, 'source', branch)) {
        if (mr.head_sha === update.newSha) continue;
        await updateMergeRequest(res.db, mr.id, { headSha: update.newSha });
        const checks = await checksFor(res.db, push.projectId, [update.newSha]);
        const view = toMergeRequestView({ ...mr, head_sha: update.newSha }, checks);
        await publishReviewEvent(res.logger, onEvent, {
          type: 'merge_request',
          action: 'synchronized',
          projectId: push.projectId,
          projectSlug: push.projectSlug,
          actor: push.actor,
          mergeRequest: view,
        });
      }
      for (const mr of await openMergeRequestsOn(res.db, push.projectId, 'target', branch)) {
        if (!(await isAncestor(repo, mr.head_sha, update.newSha))) continue;
        await updateMergeRequest(res.db, mr.id, {
          state: 'merged',
          mergeCommitSha: update.newSha,
          mergedBy: null,
        });
        const view = toMergeRequestView(
          { ...mr, state: 'merged' },
          await checksFor(res.db, push.projectId, [mr.head_sha]),
        );
        await publishReviewEvent(res.logger, onEvent, {
          type: 'merge_request',
          action: 'merged',
          projectId: push.projectId,
          projectSlug: push.projectSlug,
          actor: push.actor,
          mergeRequest: view,
        });
      }
    }
  };
}
