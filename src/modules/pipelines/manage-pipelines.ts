import type { RequestContext } from '../../platform/context.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../platform/errors.ts';
import { branchOf, openRepository, resolveRevision } from '../git/index.ts';
import { recordAudit } from '../identity/index.ts';
import { cancelOperation } from '../operations/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import type { PipelineSpec } from './pipeline-file.ts';
import { announcePipeline, reportPipelineCheck } from './report.ts';
import type { PipelineResources } from './resources.ts';
import {
  cancelPendingJobs,
  findPipelineByRef,
  listJobs,
  type PipelineRow,
  setPipelineStatus,
} from './store.ts';
import { createPipeline, triggerPipeline } from './trigger-pipeline.ts';

export async function requirePipeline(
  res: PipelineResources,
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

/** Starts a pipeline by hand on a branch (or any revision) — developers and up. */
export async function runPipelineManually(
  res: PipelineResources,
  ctx: RequestContext,
  slug: string,
  ref: string,
): Promise<PipelineRow> {
  const { project, repo } = await openRepository(res.db, res.config.home, ctx.actor, slug, 'developer');
  const sha = await resolveRevision(repo, ref, 'body.ref');
  const result = await triggerPipeline(res, {
    projectId: project.id,
    projectSlug: slug,
    ref: branchOf(ref) ?? ref,
    sha,
    trigger: 'manual',
    actor: ctx.actor,
  });
  if (result.kind === 'invalid')
    throw new UnprocessableError(result.error, { pipelineId: result.pipeline.id });
  if (result.kind === 'no_file')
    throw new UnprocessableError(`There is no .orchard/pipeline.yml at "${ref}"; add one to run a pipeline.`);
  if (result.kind === 'no_jobs')
    throw new UnprocessableError(
      `No job of .orchard/pipeline.yml runs on "${ref}" (check the branches filters).`,
    );
  await recordAudit(res.db, ctx, {
    action: 'pipeline.run',
    target: { type: 'pipeline', id: result.pipeline.id },
    projectId: project.id,
    data: { ref, sha },
  });
  return result.pipeline;
}

/** Cancels a queued or running pipeline: its operation is cancelled (running jobs are killed) and unfinished jobs marked cancelled. */
export async function cancelPipeline(
  res: PipelineResources,
  ctx: RequestContext,
  slug: string,
  id: string,
): Promise<PipelineRow> {
  const { pipeline } = await requirePipeline(res, ctx, slug, id, 'developer');
  if (!['queued', 'running'].includes(pipeline.status))
    throw new ConflictError(`Pipeline #${pipeline.number} already ${pipeline.status}.`);
  if (pipeline.operation_id)
    await cancelOperation(res.db, res.registry, ctx, pipeline.operation_id).catch((e) => {
      // The operation may have just finished; the pipeline status below settles it.
      if (!(e instanceof ConflictError)) throw e;
    });
  await cancelPendingJobs(res.db, pipeline.id);
  if (await setPipelineStatus(res.db, pipeline.id, 'cancelled')) {
    await reportPipelineCheck(
      res,
      pipeline,
      'cancelled',
      `Pipeline #${pipeline.number} cancelled by ${ctx.actor.username}`,
    );
    await announcePipeline(res, pipeline, 'cancelled', ctx.actor);
  }
  return (await findPipelineByRef(res.db, pipeline.project_id, pipeline.id))!;
}

/** Runs a finished pipeline again: same commit, same pipeline file, a new number. */
export async function rerunPipeline(
  res: PipelineResources,
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
  );
  await reportPipelineCheck(res, rerun, 'queued');
  await recordAudit(res.db, ctx, {
    action: 'pipeline.rerun',
    target: { type: 'pipeline', id: rerun.id },
    projectId: project.id,
    data: { of: pipeline.id },
  });
  return rerun;
}
