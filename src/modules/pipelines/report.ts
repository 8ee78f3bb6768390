import type { Db, DbClient } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { dispatchWebhookEvent } from '../notify/index.ts';
import { type CheckAnnotationInput, type CheckStatus, reportCheck } from '../reviews/index.ts';
import type { PipelineDeps } from './deps.ts';
import type { PipelineRow, PipelineStatus } from './store.ts';

const CHECK: Record<PipelineStatus, CheckStatus> = {
  queued: 'pending',
  running: 'running',
  success: 'success',
  failed: 'failure',
  cancelled: 'cancelled',
  error: 'error',
};

/**
 * Publishes a pipeline's state as the `pipeline` check of its commit (merge requests show it),
 * with the failed test cases of its jobs' reports as annotations when it ended.
 */
export async function reportPipelineCheck(
  res: PipelineDeps,
  pipeline: PipelineRow,
  status: PipelineStatus,
  summary?: string,
  db: Db | DbClient = res.db,
  annotations: CheckAnnotationInput[] = [],
) {
  await reportCheck(
    db,
    {
      projectId: pipeline.project_id,
      sha: pipeline.sha,
      name: 'pipeline',
      status: CHECK[status],
      summary: summary ?? `Pipeline #${pipeline.number} ${status}`,
      details: {
        pipelineId: pipeline.id,
        number: pipeline.number,
        ref: pipeline.ref,
        operationId: pipeline.operation_id,
        ...(annotations.length ? { annotations } : {}),
      },
    },
    res,
  );
}

/** A `pipeline` webhook delivery when a pipeline ends (queued in `tx` when given). */
export async function announcePipeline(
  res: PipelineDeps,
  pipeline: PipelineRow,
  status: PipelineStatus,
  actor?: Actor,
  tx?: DbClient,
) {
  await dispatchWebhookEvent(
    res,
    {
      projectId: pipeline.project_id,
      event: 'pipeline',
      actor,
      payload: {
        action: 'completed',
        pipeline: {
          id: pipeline.id,
          number: pipeline.number,
          ref: pipeline.ref,
          sha: pipeline.sha,
          trigger: pipeline.trigger,
          status,
        },
      },
    },
    tx,
  );
}
