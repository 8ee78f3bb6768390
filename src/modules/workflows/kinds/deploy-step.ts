import { z } from 'zod';
import { deployToEnvironment, listProjectEnvironments } from '../../deploy/index.ts';
import type { KindHandler } from '../run/kind-call.ts';
import { runStartedOperation } from '../run/started-operation.ts';

const With = z.strictObject({ env: z.string().min(1).max(300), ref: z.string().min(1).max(255).optional() });

/** `kind: deploy`: a ref to staging or a preview, until it serves. */
export const deployStep: KindHandler = (call) => {
  const args = With.parse(call.with);
  const { deps, request, input } = call;
  const ref = args.ref ?? input.run.ref;
  return runStartedOperation(
    call,
    `The deploy of ${ref} to ${args.env}`,
    async () => {
      const started = await deployToEnvironment(deps, request, {
        slug: input.run.projectSlug,
        env: args.env,
        ref,
      });
      return {
        operationId: started.operationId,
        detail: { environment: started.environment, ref: started.ref },
      };
    },
    async (_operation, detail) => {
      const environments = await listProjectEnvironments(deps, request, input.run.projectSlug);
      const env = environments.items.find((e) => e.name === detail.environment);
      return { environment: detail.environment, ref: detail.ref, url: env?.url ?? null };
    },
  );
};
