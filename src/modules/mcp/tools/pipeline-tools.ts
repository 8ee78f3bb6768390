import { z } from 'zod';
import {
  getPipeline,
  listArtifacts,
  type PipelineDeps,
  readJobLog,
  startPipeline,
  stopPipeline,
} from '../../pipelines/index.ts';
import { defineTool } from '../mcp-tool.ts';
import { type AwaitOperationDeps, awaitOperation, WaitSeconds } from './await-operation.ts';
import { Slug } from './tool-inputs.ts';

const Pipeline = z
  .union([z.number().int().min(1).max(2_147_483_647), z.uuid()])
  .describe('The pipeline number (as shown, #12) or id');

/** pipeline: run a project's pipeline on a ref, its status and jobs, a job's log. */
export function pipelineTools(res: PipelineDeps & AwaitOperationDeps) {
  return [
    defineTool({
      name: 'run_pipeline',
      set: 'pipeline',
      title: 'Run the pipeline',
      description:
        "Runs the project's .orchard/pipeline.yml on a branch, tag or commit now, reporting progress until it ends (or waitSeconds pass); answers with the pipeline: its number, status, jobs and test summary. Read a job's output with get_job_log.",
      input: z.object({
        slug: Slug,
        ref: z.string().min(1).max(255).describe('Branch, tag or commit sha'),
        waitSeconds: WaitSeconds,
      }),
      route: { method: 'POST', url: '/api/projects/:slug/pipelines', config: { delegated: true } },
      progress: true,
      slugOf: (args) => args.slug,
      run: async (ctx, args, call) => {
        const started = await startPipeline(res, ctx, args.slug, args.ref);
        if (!started.operationId) return started;
        // The client cancelling the call cancels the pipeline (its jobs are killed).
        const { ended } = await awaitOperation(res, ctx, call, started.operationId, args.waitSeconds, () =>
          stopPipeline(res, ctx, args.slug, started.id),
        );
        const pipeline = await getPipeline(res, ctx, args.slug, started.id);
        return ended ? pipeline : { ...pipeline, note: 'Still running: follow it with get_pipeline.' };
      },
    }),
    defineTool({
      name: 'get_pipeline',
      set: 'pipeline',
      title: 'Get a pipeline',
      description:
        'A pipeline with its status and its jobs (status, exit code, duration, test report summary).',
      input: z.object({ slug: Slug, pipeline: Pipeline }),
      route: { method: 'GET', url: '/api/projects/:slug/pipelines/:id' },
      slugOf: (args) => args.slug,
      run: (ctx, args) => getPipeline(res, ctx, args.slug, String(args.pipeline)),
    }),
    defineTool({
      name: 'cancel_pipeline',
      set: 'pipeline',
      title: 'Cancel a pipeline',
      description:
        'Cancels a queued or running pipeline: running jobs are stopped, waiting ones never start.',
      input: z.object({ slug: Slug, pipeline: Pipeline }),
      route: { method: 'POST', url: '/api/projects/:slug/pipelines/:id/cancel', config: { delegated: true } },
      slugOf: (args) => args.slug,
      run: (ctx, args) => stopPipeline(res, ctx, args.slug, String(args.pipeline)),
    }),
    defineTool({
      name: 'list_pipeline_artifacts',
      set: 'pipeline',
      title: "List a pipeline's artifacts",
      description:
        "The files a pipeline's jobs kept (artifacts: paths in .orchard/pipeline.yml), each with its size and the URL it downloads from.",
      input: z.object({ slug: Slug, pipeline: Pipeline }),
      route: { method: 'GET', url: '/api/projects/:slug/pipelines/:id/artifacts' },
      slugOf: (args) => args.slug,
      run: (ctx, args) => listArtifacts(res, ctx, args.slug, String(args.pipeline)),
    }),
    defineTool({
      name: 'get_job_log',
      set: 'pipeline',
      title: "Read a job's log",
      description:
        "A pipeline job's log (secrets masked), from chunk `after` on: call again with `next` until `finished` is true.",
      input: z.object({
        slug: Slug,
        pipeline: Pipeline,
        job: z.string().min(1).max(64).describe('The job name, as in the pipeline file'),
        after: z.number().int().min(0).max(2_147_483_647).default(0),
      }),
      route: { method: 'GET', url: '/api/projects/:slug/pipelines/:id/jobs/:job/log' },
      slugOf: (args) => args.slug,
      run: (ctx, args) =>
        readJobLog(res, ctx, {
          slug: args.slug,
          id: String(args.pipeline),
          job: args.job,
          after: args.after,
        }),
    }),
  ];
}
