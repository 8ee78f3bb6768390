import { z } from 'zod';
import { getPipeline, startPipeline } from '../../pipelines/index.ts';
import type { KindHandler } from '../run/kind-call.ts';
import { runStartedOperation } from '../run/started-operation.ts';

const With = z.strictObject({
  ref: z.string().min(1).max(255).optional(),
  job: z.string().min(1).max(64).optional(),
});

/** `kind: pipeline`: the project's pipeline (or one job, with what it needs) on a ref, to its end. */
export const pipelineStep: KindHandler = (call) => {
  const args = With.parse(call.with);
  const { deps, request, input } = call;
  const ref = args.ref ?? input.run.ref;
  const what = args.job ? `Job ${args.job} on ${ref}` : `The pipeline on ${ref}`;
  return runStartedOperation(
    call,
    what,
    async () => {
      const pipeline = await startPipeline(deps, request, input.run.projectSlug, ref, { job: args.job });
      if (!pipeline.operationId)
        throw new Error(`Pipeline #${pipeline.number} did not start: ${pipeline.error}`);
      return {
        operationId: pipeline.operationId,
        detail: { pipelineId: pipeline.id, number: pipeline.number, slug: input.run.projectSlug },
      };
    },
    async (_operation, detail) => {
      const pipeline = await getPipeline(deps, request, input.run.projectSlug, String(detail.pipelineId));
      return {
        pipeline: pipeline.number,
        id: pipeline.id,
        status: pipeline.status,
        ref: pipeline.ref,
        sha: pipeline.sha,
        jobs: Object.fromEntries((pipeline.jobs ?? []).map((j) => [j.name, j.status])),
      };
    },
  );
};
