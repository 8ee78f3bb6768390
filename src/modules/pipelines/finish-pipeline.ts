import { withTransaction } from '../../platform/db/pool.ts';
import { NonRetryableError } from '../operations/index.ts';
import { announceCommitPassed } from './commit-passed.ts';
import type { PipelineDeps } from './deps.ts';
import { announcePipeline, reportPipelineCheck } from './report.ts';
import { findPipeline, listJobs, type PipelineStatus, setPipelineStatus } from './store.ts';
import { testFailureAnnotations } from './test-reports/failure-annotations.ts';

/**
 * The `pipeline.finish` step, after every job: the pipeline's outcome from its jobs, reported as
 * the commit's check and a `pipeline` webhook; a success tells who follows passed commits. A
 * pipeline that did not succeed fails its operation.
 */
export async function finishPipeline(
  res: PipelineDeps,
  pipelineId: string,
): Promise<{ status: PipelineStatus }> {
  const pipeline = await findPipeline(res.db, pipelineId);
  if (!pipeline) throw new NonRetryableError(`Pipeline ${pipelineId} no longer exists.`);
  const jobs = await listJobs(res.db, pipeline.id);
  const bad = jobs.filter((j) => j.status === 'failed' || j.status === 'timed_out');
  const status: PipelineStatus = jobs.some((j) => j.status === 'cancelled')
    ? 'cancelled'
    : bad.length
      ? 'failed'
      : 'success';
  // The pipeline's end, its check and its webhook in one transaction: whoever sees the pipeline
  // ended sees its check (with the failed cases) too.
  await withTransaction(res.db, async (tx) => {
    if (!(await setPipelineStatus(tx, pipeline.id, status))) return;
    const summary = bad.length
      ? `Pipeline #${pipeline.number} failed: ${bad.map((j) => `${j.name} ${j.status.replace('_', ' ')}`).join(', ')}`
      : undefined;
    await reportPipelineCheck(res, pipeline, status, summary, tx, testFailureAnnotations(jobs));
    await announcePipeline(res, pipeline, status, undefined, tx);
  });
  if (status !== 'success') {
    throw new NonRetryableError(
      bad.length
        ? `Pipeline #${pipeline.number} failed: ${bad.map((j) => j.name).join(', ')}.`
        : `Pipeline #${pipeline.number} was ${status}.`,
    );
  }
  // Told on every run of this step (a retry included): listeners are idempotent.
  await announceCommitPassed(
    res.onCommitPassed,
    {
      projectId: pipeline.project_id,
      ref: pipeline.ref,
      sha: pipeline.sha,
      actorId: pipeline.actor_id,
      pipeline: { id: pipeline.id, number: pipeline.number },
    },
    (error) => res.logger.error({ err: error, pipeline: pipeline.id }, 'a listener of passed commits failed'),
  );
  return { status };
}
