import { z } from 'zod';
import { getPipeline, type PipelineDeps, readJobLog, startPipeline } from '../../pipelines/index.ts';
import { defineTool } from '../mcp-tool.ts';
import { Slug } from './tool-inputs.ts';

const Pipeline = z
  .union([z.number().int().min(1).max(2_147_483_647), z.uuid()])
  .describe('The pipeline number (as shown, #12) or id');

/** pipeline: run a project's pipeline on a ref, its status and jobs, a job's log. */
export function pipelineTools(res: PipelineDeps) {
  return [
    defineTool({
      name: 'run_pipeline',
      set: 'pipeline',
      title: 'Run the pipeline',
      description:
        "Runs the project's .orchard/pipeline.yml on a branch, tag or commit now; answers with the pipeline (its number, jobs and status). Follow it with get_pipeline.",
      input: z.object({ slug: Slug, ref: z.string().min(1).max(255).describe('Branch, tag or commit sha') }),
      route: { method: 'POST', url: '/api/projects/:slug/pipelines', config: { delegated: true } },
      slugOf: (args) => args.slug,
      run: (ctx, args) => startPipeline(res, ctx, args.slug, args.ref),
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
