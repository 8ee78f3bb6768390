import type { RequestContext } from '../../platform/context.ts';
import { type DbClient, withTransaction } from '../../platform/db/pool.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../platform/errors.ts';
import { branchOf, openRepository, resolveRevision } from '../git/index.ts';
import { recordAudit } from '../identity/index.ts';
import { cancelOperation } from '../operations/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import type { PipelineDeps } from './deps.ts';
import { jobWithNeeds, type PipelineSpec } from './pipeline-file.ts';
import { announcePipeline, reportPipelineCheck } from './report.ts';
import {
  cancelPendingJobs,
  findPipelineByRef,
  listJobs,
  type PipelineRow,
  setPipelineStatus,
} from './store.ts';
import { createPipeline, planPipeline, startPlannedPipeline, type TriggerInput } from './trigger-pipeline.ts';

export async function requirePipeline(
  res: PipelineDeps,
  ctx: RequestContext,
  slug: string,
  id: string,
  role: 'viewer' | 'developer',
) {
  const access = await requireProjectRole(res.db, ctx.actor, slug, role);
  const pipeline = await findPipelineByRef(res.db, access.project.id, id);
  if (!pipeline) throw new NotFoundError(`No pipeline ${id} in "${slug}".`);
  return { ...access, pipeline };
}

/**
 * Starts a pipeline by hand on a branch (or any revision) — developers and up. The pipeline, its
 * operation, its check and the audit row are one transaction; the file is read from git before it
 * opens. An invalid file still leaves a visible, failed pipeline (422 naming it).
 */
export async function runPipelineManually(
  res: PipelineDeps,
  ctx: RequestContext,
  slug: string,
  ref: string,
  /** Only this job, with the jobs it needs (a workflow's pipeline step may name one). */
  only?: { job?: string },
): Promise<PipelineRow> {
  const { project, repo } = await openRepository(res.db, res.config.home, ctx.actor, slug, 'developer');
  const sha = await resolveRevision(repo, ref, 'body.ref');
  const input: TriggerInput = {
    projectId: project.id,
    projectSlug: slug,
    ref: branchOf(ref) ?? ref,
    sha,
    trigger: 'manual',
    actor: ctx.actor,
  };
  const plan = await planPipeline(res, input);
  if (plan.kind === 'no_file')
    throw new UnprocessableError(`There is no .orchard/pipeline.yml at "${ref}"; add one to run a pipeline.`);
  if (plan.kind === 'no_jobs')
    throw new UnprocessableError(
      `No job of .orchard/pipeline.yml runs on "${ref}" (check the branches filters).`,
    );
  if (plan.kind === 'run' && only?.job !== undefined) {
    const jobs = jobWithNeeds(plan.jobs, only.job);
    if (!jobs)
      throw new UnprocessableError(
        `.orchard/pipeline.yml has no job "${only.job}" that runs on "${ref}" (jobs: ${Object.keys(plan.jobs).join(', ')}).`,
      );
    plan.jobs = jobs;
  }
  const result = await withTransaction(res.db, async (tx) => {
    const started = await startPlannedPipeline(res, input, plan, tx);
    await recordAudit(tx, ctx, {
      action: 'pipeline.run',
      target: { type: 'pipeline', id: started.pipeline.id },
      projectId: project.id,
      data: { ref, sha, ...(started.kind === 'invalid' ? { invalid: true } : {}) },
    });
    return started;
  });
  if (result.kind === 'invalid')
    throw new UnprocessableError(result.error, { pipelineId: result.pipeline.id });
  return result.pipeline;
}

/**
 * Cancels a queued or running pipeline: its operation is cancelled (running jobs are killed) and
 * unfinished jobs marked cancelled — with the check, the `pipeline` webhook and the audit row, in
 * the cancellation's transaction.
 */
export async function cancelPipeline(
  res: PipelineDeps,
  ctx: RequestContext,
  slug: string,
  id: string,
): Promise<PipelineRow> {
  const { pipeline } = await requirePipeline(res, ctx, slug, id, 'developer');
  if (!['queued', 'running'].includes(pipeline.status))
    throw new ConflictError(`Pipeline #${pipeline.number} already ${pipeline.status}.`);
  const settle = async (tx: DbClient) => {
    await cancelPendingJobs(tx, pipeline.id);
    if (await setPipelineStatus(tx, pipeline.id, 'cancelled')) {
      const summary = `Pipeline #${pipeline.number} cancelled by ${ctx.actor.username}`;
      await reportPipelineCheck(res, pipeline, 'cancelled', summary, tx);
      await announcePipeline(res, pipeline, 'cancelled', ctx.actor, tx);
    }
    await recordAudit(tx, ctx, {
      action: 'pipeline.cancel',
      target: { type: 'pipeline', id: pipeline.id },
      projectId: pipeline.project_id,
      data: { number: pipeline.number },
    });
  };
  const cancelled = pipeline.operation_id
    ? await cancelOperation(res.db, res.registry, ctx, pipeline.operation_id, { within: settle }).then(
        () => true,
        (error) => {
          // The operation has just finished: the pipeline is settled on its own below.
          if (!(error instanceof ConflictError)) throw error;
          return false;
        },
      )
    : false;
  if (!cancelled) await withTransaction(res.db, settle);
  return (await findPipelineByRef(res.db, pipeline.project_id, pipeline.id))!;
}

/** Runs a finished pipeline again: same commit, same pipeline file, a new number. */
export async function rerunPipeline(
  res: PipelineDeps,
  ctx: RequestContext,
  slug: string,
  id: string,
): Promise<PipelineRow> {
  const { project, pipeline } = await requirePipeline(res, ctx, slug, id, 'developer');
  if (['queued', 'running'].includes(pipeline.status))
    throw new ConflictError(`Pipeline #${pipeline.number} is still ${pipeline.status}; cancel it first.`);
  if (pipeline.status === 'error')
    throw new UnprocessableError(
      `Pipeline #${pipeline.number} has an invalid pipeline file; fix it and push.`,
    );
  const spec = pipeline.spec as PipelineSpec;
  const names = new Set((await listJobs(res.db, pipeline.id)).map((j) => j.name));
  const jobs = Object.fromEntries(Object.entries(spec.jobs).filter(([name]) => names.has(name)));
  return withTransaction(res.db, async (tx) => {
    const { pipeline: rerun } = await createPipeline(
      res,
      {
        projectId: project.id,
        projectSlug: slug,
        ref: pipeline.ref,
        sha: pipeline.sha,
        trigger: pipeline.trigger,
        actor: ctx.actor,
        mergeRequestId: pipeline.merge_request_id,
        rerunOf: pipeline.id,
      },
      { spec, jobs },
      tx,
    );
    await reportPipelineCheck(res, rerun, 'queued', undefined, tx);
    await recordAudit(tx, ctx, {
      action: 'pipeline.rerun',
      target: { type: 'pipeline', id: rerun.id },
      projectId: project.id,
      data: { of: pipeline.id },
    });
    return rerun;
  });
}
