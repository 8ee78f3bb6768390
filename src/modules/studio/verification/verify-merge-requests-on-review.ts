import type { Db } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import { findOperationByKey, type Registry, startOperation } from '../../operations/index.ts';
import type { ReviewEvent } from '../../reviews/index.ts';
import { requestedBy } from '../deps.ts';
import { VERIFY_MERGE_REQUEST_KIND, type VerifyMergeRequestInput } from './verify-merge-request.ts';

/**
 * Every merge request verified: when opening, reopening or pushing to one deploys its head as the
 * branch's preview (the deploy module's listener, which runs first), the browser robot checks that
 * preview and the verdict becomes the head commit's `browser-verification` check.
 */
export function verifyMergeRequestsOnReview(res: { db: Db; registry: Registry; logger: Logger }) {
  return async (event: ReviewEvent) => {
    if (event.type !== 'merge_request') return;
    if (event.action !== 'opened' && event.action !== 'reopened' && event.action !== 'synchronized') return;
    const mr = event.mergeRequest;
    if (!mr.headSha) return;
    // The preview's deploy (none when the branch has no app to run).
    const deploy = await findOperationByKey(
      res.db,
      'deploy.release',
      `preview:${event.projectId}:${mr.sourceBranch}:${mr.headSha}`,
    );
    if (!deploy) return;
    const input: VerifyMergeRequestInput = {
      requestedBy: requestedBy(event.actor),
      mergeRequest: mr.number,
      branch: mr.sourceBranch,
      sha: mr.headSha,
      deployOperationId: deploy.id,
    };
    const op = await startOperation(res.db, res.registry, {
      kind: VERIFY_MERGE_REQUEST_KIND,
      input,
      actor: event.actor,
      projectId: event.projectId,
      idempotencyKey: `mr-verify:${event.projectId}:${mr.sourceBranch}:${mr.headSha}`,
    });
    res.logger.info(
      { project: event.projectSlug, mergeRequest: mr.number, operation: op.id },
      'verifying a merge request preview',
    );
  };
}
