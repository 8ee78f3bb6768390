import { NonRetryableError, type StepContext, stepHasParked } from '../../operations/index.ts';
import { describePipeline, type PipelineSummary, triggerPipeline } from '../../pipelines/index.ts';
import { actorOf, type StudioDeps } from '../deps.ts';
import { setBlueprintStatus } from '../store.ts';
import { parkUntilEnded } from './await-operation.ts';
import type { BuildInput, ImplementOutput } from './build-input.ts';
import { enterPhase, loadBuild } from './build-step.ts';

/** Pipelines are bounded by their own job timeouts; this only bounds the wait. */
const PIPELINE_WAIT_MS = 60 * 60_000;
const LOG_TAIL_LINES = 40;

function failure(summary: PipelineSummary): string {
  const bad = summary.jobs.filter((j) => j.status === 'failed' || j.status === 'timed_out');
  if (!bad.length)
    return `Pipeline #${summary.number} ${summary.status}${summary.error ? `: ${summary.error}` : ''}.`;
  const parts = bad.map((j) => {
    const tail = j.logTail ? `\n--- ${j.name}: last lines of the log ---\n${j.logTail}` : '';
    return `job ${j.name} ${j.status.replace('_', ' ')}${j.error ? ` (${j.error})` : ''}${tail}`;
  });
  return `Pipeline #${summary.number} failed: ${parts.join('\n')}`;
}

/**
 * `test`: the project's pipeline on the branch's commit — the one the push started (deduplicated),
 * or started now — waited for; a failed pipeline fails the step with the failing jobs' log tails.
 */
export async function testStep(deps: StudioDeps, ctx: StepContext<BuildInput>) {
  await enterPhase(deps, ctx, 'test', 'Running the pipeline');
  const { project } = await loadBuild(deps, ctx.input);
  const impl = ctx.deps.implement as ImplementOutput;
  const triggered = await triggerPipeline(deps, {
    projectId: project.id,
    projectSlug: project.slug,
    ref: impl.branch,
    sha: impl.sha,
    trigger: 'push',
    actor: actorOf(ctx.input.requestedBy),
  });
  if (triggered.kind === 'no_file' || triggered.kind === 'no_jobs') {
    ctx.log(
      `No pipeline runs on ${impl.branch} (${triggered.kind === 'no_file' ? 'no .orchard/pipeline.yml' : 'no job matches the branch'}); nothing to test.`,
      'stderr',
    );
    return { status: 'none' };
  }
  if (triggered.kind === 'invalid')
    throw new NonRetryableError(`The pipeline file is invalid: ${triggered.error}`);
  const pipeline = triggered.pipeline;
  // Woken after the pipeline ended, the step runs again from the top and finds the same pipeline
  // (deduplicated by commit); the artifact and the line saying which pipeline runs are written once.
  const firstVisit = !(await stepHasParked(deps.db, ctx.operationId, ctx.stepKey));
  if (firstVisit) {
    await ctx.emit({
      type: 'artifact',
      kind: 'pipeline',
      name: `#${pipeline.number}`,
      number: pipeline.number,
      url: `/api/projects/${project.slug}/pipelines/${pipeline.number}`,
    });
    ctx.log(
      `Pipeline #${pipeline.number} on ${impl.sha.slice(0, 12)} (${triggered.kind === 'existing' ? 'started by the push' : 'started now'}).`,
    );
  }
  if (pipeline.operation_id)
    await parkUntilEnded(deps, ctx, pipeline.operation_id, {
      timeoutMs: PIPELINE_WAIT_MS,
      what: `Pipeline #${pipeline.number}`,
    });
  const summary = await describePipeline(deps.db, pipeline.id, { tailLines: LOG_TAIL_LINES });
  if (!summary) throw new NonRetryableError(`Pipeline #${pipeline.number} disappeared.`);
  for (const job of summary.jobs)
    ctx.log(`${job.status === 'success' ? '✔' : '✖'} ${job.name}: ${job.status}`);
  if (summary.status !== 'success') throw new NonRetryableError(failure(summary));
  await ctx.progress(1, `Pipeline #${summary.number} passed`);
  // A build asked to stop here is built once its tests pass.
  if (ctx.input.until === 'test') await setBlueprintStatus(deps.db, ctx.input.blueprintId, 'built');
  return { status: summary.status, pipelineId: summary.id, number: summary.number };
}
