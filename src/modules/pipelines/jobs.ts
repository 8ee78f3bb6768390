import { z } from 'zod';
import { defineStep, defineWorkflow, type Registry } from '../operations/index.ts';
import type { PipelineDeps } from './deps.ts';
import { finishPipeline } from './finish-pipeline.ts';
import { MAX_TIMEOUT_MINUTES } from './pipeline-file.ts';
import { type JobStepInput, runPipelineJob } from './run-job.ts';
import { jobStepKey } from './store.ts';

const RunInput = z.object({
  pipelineId: z.uuid(),
  jobs: z.array(z.object({ name: z.string().min(1), needs: z.array(z.string()) })).min(1),
});

/**
 * `pipeline.run`: one `pipeline.job` step per job on the `pipeline` queue, wired by `needs`, then
 * `pipeline.finish`. Job steps retry only when a worker is lost mid-job (a failing job is a result).
 */
export function registerPipelineJobs(registry: Registry, res: PipelineDeps) {
  registry.add(
    defineWorkflow('pipeline.run', RunInput, (input) => [
      ...input.jobs.map((job) => ({
        key: jobStepKey(job.name),
        step: 'pipeline.job',
        input: { pipelineId: input.pipelineId, job: job.name } satisfies JobStepInput,
        dependsOn: job.needs.map(jobStepKey),
      })),
      {
        key: 'finish',
        step: 'pipeline.finish',
        input: { pipelineId: input.pipelineId },
        dependsOn: input.jobs.map((j) => jobStepKey(j.name)),
      },
    ]),
    defineStep<JobStepInput>('pipeline.job', {
      queue: 'pipeline',
      retry: { maxAttempts: 3, baseMs: 1_000, maxMs: 30_000 },
      // The job enforces its own timeoutMinutes; this only bounds a runaway handler.
      timeoutMs: (MAX_TIMEOUT_MINUTES + 10) * 60_000,
      handler: (ctx) => runPipelineJob(res, ctx),
    }),
    defineStep<{ pipelineId: string }>('pipeline.finish', {
      queue: 'pipeline',
      retry: { maxAttempts: 5, baseMs: 500, maxMs: 10_000 },
      handler: (ctx) => finishPipeline(res, ctx.input.pipelineId),
    }),
  );
}
