import { type Db, type DbClient, withTransaction } from '../../platform/db/pool.ts';
import { type Actor, isSystemActor } from '../../platform/http/actor.ts';
import { readFirstFileAt, repositoryPath } from '../git/index.ts';
import { startOperation } from '../operations/index.ts';
import type { PipelineDeps } from './deps.ts';
import {
  jobsFor,
  PIPELINE_FILES,
  PipelineFileError,
  type PipelineJob,
  type PipelineSpec,
  parsePipelineFile,
} from './pipeline-file.ts';
import { reportPipelineCheck } from './report.ts';
import {
  findBranchPipeline,
  insertJobs,
  insertPipeline,
  nextPipelineNumber,
  type PipelineRow,
  setPipelineOperation,
  type Trigger,
} from './store.ts';

export interface TriggerInput {
  projectId: string;
  projectSlug: string;
  /** Branch name (or the revision a manual run named). */
  ref: string;
  sha: string;
  trigger: Trigger;
  actor: Actor;
  mergeRequestId?: string | null;
  scheduleId?: string | null;
}

export type TriggerResult =
  | { kind: 'created' | 'existing'; pipeline: PipelineRow }
  | { kind: 'no_file' }
  | { kind: 'no_jobs' }
  | { kind: 'invalid'; pipeline: PipelineRow; error: string };

/** What `.orchard/pipeline.yml` at a commit asks for on a ref: read from git, nothing written yet. */
export type PipelinePlan =
  | { kind: 'no_file' }
  | { kind: 'no_jobs' }
  | { kind: 'invalid'; error: string }
  | { kind: 'run'; spec: PipelineSpec; jobs: Record<string, PipelineJob> };

/** Reads `.orchard/pipeline.yml` at the commit and starts a pipeline for the jobs that match the ref. */
export async function triggerPipeline(res: PipelineDeps, input: TriggerInput): Promise<TriggerResult> {
  const plan = await planPipeline(res, input);
  if (plan.kind === 'no_file' || plan.kind === 'no_jobs') return plan;
  return startPlannedPipeline(res, input, plan);
}

/** Reads and parses the pipeline file at the commit and picks the jobs that run on the ref. */
export async function planPipeline(res: PipelineDeps, input: TriggerInput): Promise<PipelinePlan> {
  const repo = repositoryPath(res.config.home, input.projectSlug);
  const found = await readFirstFileAt(repo, input.sha, PIPELINE_FILES);
  if (!found) return { kind: 'no_file' };
  let spec: PipelineSpec;
  try {
    spec = parsePipelineFile(found.text, found.path.split('/').pop());
  } catch (error) {
    if (!(error instanceof PipelineFileError)) throw error;
    return { kind: 'invalid', error: error.message };
  }
  const jobs = jobsFor(spec, input.ref);
  if (!Object.keys(jobs).length) return { kind: 'no_jobs' };
  return { kind: 'run', spec, jobs };
}

/**
 * Stores a planned pipeline with its operation and reports its check, in one transaction (the
 * caller's when `db` is one). An invalid file is a visible, failed pipeline (and check), not a
 * silent no-op.
 */
export async function startPlannedPipeline(
  res: PipelineDeps,
  input: TriggerInput,
  plan: Extract<PipelinePlan, { kind: 'invalid' | 'run' }>,
  db: Db | DbClient = res.db,
): Promise<Extract<TriggerResult, { pipeline: PipelineRow }>> {
  return withTransaction(db, async (tx) => {
    if (plan.kind === 'invalid') {
      const created = await createPipeline(res, input, { spec: {}, jobs: {}, error: plan.error }, tx);
      if (created.kind === 'created')
        await reportPipelineCheck(res, created.pipeline, 'error', plan.error.split('\n')[0], tx);
      return { kind: 'invalid', pipeline: created.pipeline, error: plan.error };
    }
    const result = await createPipeline(res, input, plan, tx);
    if (result.kind === 'created') await reportPipelineCheck(res, result.pipeline, 'queued', undefined, tx);
    return result;
  });
}

/**
 * Stores the pipeline and its jobs and starts its `pipeline.run` operation in one transaction (the
 * caller's when `db` is one). A branch or merge-request pipeline for a ref and commit that already
 * has one returns that one.
 */
export async function createPipeline(
  res: PipelineDeps,
  input: TriggerInput & { rerunOf?: string },
  run: { spec: PipelineSpec | Record<string, never>; jobs: Record<string, PipelineJob>; error?: string },
  db: Db | DbClient = res.db,
): Promise<{ kind: 'created' | 'existing'; pipeline: PipelineRow }> {
  return withTransaction(db, async (tx) => {
    // A deduplicated pipeline gives its number back, also inside a caller's transaction.
    await tx.query('SAVEPOINT create_pipeline');
    const number = await nextPipelineNumber(tx, input.projectId);
    const row = await insertPipeline(tx, {
      projectId: input.projectId,
      number,
      ref: input.ref,
      sha: input.sha,
      trigger: input.trigger,
      status: run.error ? 'error' : 'queued',
      spec: run.spec,
      error: run.error,
      mergeRequestId: input.mergeRequestId,
      scheduleId: input.scheduleId,
      rerunOf: input.rerunOf,
      actorId: isSystemActor(input.actor) ? null : input.actor.userId,
    });
    if (!row) {
      await tx.query('ROLLBACK TO SAVEPOINT create_pipeline');
      return {
        kind: 'existing',
        pipeline: (await findBranchPipeline(tx, input.projectId, input.ref, input.sha))!,
      };
    }
    await tx.query('RELEASE SAVEPOINT create_pipeline');
    if (run.error) return { kind: 'created', pipeline: row };
    const jobs = Object.entries(run.jobs).map(([name, job]) => ({ name, needs: job.needs }));
    await insertJobs(tx, row.id, jobs);
    const op = await startOperation(tx, res.registry, {
      kind: 'pipeline.run',
      input: { pipelineId: row.id, jobs },
      actor: input.actor,
      projectId: input.projectId,
      clock: res.clock,
    });
    await setPipelineOperation(tx, row.id, op.id);
    return { kind: 'created', pipeline: { ...row, operation_id: op.id } };
  });
}
