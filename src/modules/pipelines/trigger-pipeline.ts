import { withTransaction } from '../../platform/db/pool.ts';
import { type Actor, isSystemActor } from '../../platform/http/actor.ts';
import { readFirstFileAt, repositoryPath } from '../git/index.ts';
import { startOperation } from '../operations/index.ts';
import {
  jobsFor,
  PIPELINE_FILES,
  PipelineFileError,
  type PipelineJob,
  type PipelineSpec,
  parsePipelineFile,
} from './pipeline-file.ts';
import { reportPipelineCheck } from './report.ts';
import type { PipelineResources } from './resources.ts';
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

/** Reads `.orchard/pipeline.yml` at the commit and starts a pipeline for the jobs that match the ref. */
export async function triggerPipeline(res: PipelineResources, input: TriggerInput): Promise<TriggerResult> {
  const repo = repositoryPath(res.config.home, input.projectSlug);
  const found = await readFirstFileAt(repo, input.sha, PIPELINE_FILES);
  if (!found) return { kind: 'no_file' };
  let spec: PipelineSpec;
  try {
    spec = parsePipelineFile(found.text, found.path.split('/').pop());
  } catch (error) {
    if (!(error instanceof PipelineFileError)) throw error;
    // An invalid file is a visible, failed pipeline (and check), not a silent no-op.
    const pipeline = await createPipeline(res, input, { spec: {}, jobs: {}, error: error.message });
    if (pipeline.kind === 'created')
      await reportPipelineCheck(res, pipeline.pipeline, 'error', error.message.split('\n')[0]);
    return { kind: 'invalid', pipeline: pipeline.pipeline, error: error.message };
  }
  const jobs = jobsFor(spec, input.ref);
  if (!Object.keys(jobs).length) return { kind: 'no_jobs' };
  const result = await createPipeline(res, input, { spec, jobs });
  if (result.kind === 'created') await reportPipelineCheck(res, result.pipeline, 'queued');
  return result;
}

class Duplicate extends Error {}

/**
 * Stores the pipeline and its jobs and starts its `pipeline.run` operation in one transaction.
 * A branch or merge-request pipeline for a ref and commit that already has one returns that one.
 */
export async function createPipeline(
  res: PipelineResources,
  input: TriggerInput & { rerunOf?: string },
  run: { spec: PipelineSpec | Record<string, never>; jobs: Record<string, PipelineJob>; error?: string },
): Promise<{ kind: 'created' | 'existing'; pipeline: PipelineRow }> {
  try {
    const pipeline = await withTransaction(res.db, async (tx) => {
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
      if (!row) throw new Duplicate();
      if (run.error) return row;
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
      return { ...row, operation_id: op.id };
    });
    return { kind: 'created', pipeline };
  } catch (error) {
    if (!(error instanceof Duplicate)) throw error;
    return {
      kind: 'existing',
      pipeline: (await findBranchPipeline(res.db, input.projectId, input.ref, input.sha))!,
    };
  }
}
