import type { RequestContext } from '../../platform/context.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { PipelineDeps } from './deps.ts';
import { cancelPipeline, requirePipeline, runPipelineManually } from './manage-pipelines.ts';
import { findJob, listJobs, readLog } from './store.ts';
import { toPipelineView } from './views.ts';

const FINISHED = new Set(['success', 'failed', 'timed_out', 'cancelled', 'skipped']);

/** One pipeline (by number or id) with its jobs, as `GET …/pipelines/:id` shows it (viewers). */
export async function getPipeline(res: PipelineDeps, ctx: RequestContext, slug: string, id: string) {
  const { pipeline } = await requirePipeline(res, ctx, slug, id, 'viewer');
  return toPipelineView(pipeline, await listJobs(res.db, pipeline.id));
}

/** Runs the pipeline (or one job of it, with the jobs it needs) on a ref now (developers), as `POST …/pipelines` does. */
export async function startPipeline(
  res: PipelineDeps,
  ctx: RequestContext,
  slug: string,
  ref: string,
  only?: { job?: string },
) {
  const pipeline = await runPipelineManually(res, ctx, slug, ref, only);
  return toPipelineView(pipeline, await listJobs(res.db, pipeline.id));
}

/** Cancels a queued or running pipeline (developers) and answers with it, as `POST …/cancel` does. */
export async function stopPipeline(res: PipelineDeps, ctx: RequestContext, slug: string, id: string) {
  const pipeline = await cancelPipeline(res, ctx, slug, id);
  return toPipelineView(pipeline, await listJobs(res.db, pipeline.id));
}

/** A job's log from chunk `after` on, and whether the job has finished (viewers). */
export async function readJobLog(
  res: PipelineDeps,
  ctx: RequestContext,
  input: { slug: string; id: string; job: string; after: number },
) {
  const { pipeline } = await requirePipeline(res, ctx, input.slug, input.id, 'viewer');
  const job = await findJob(res.db, pipeline.id, input.job);
  if (!job) throw new NotFoundError(`Pipeline #${pipeline.number} has no job "${input.job}".`);
  const chunks = await readLog(res.db, job.id, input.after);
  return {
    text: chunks.map((c) => c.text).join(''),
    next: chunks.at(-1)?.seq ?? input.after,
    finished: FINISHED.has(job.status),
  };
}
