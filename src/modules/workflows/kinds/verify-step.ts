import type { VerificationResult } from '../../automation/index.ts';
import { findStepOutputs } from '../../operations/index.ts';
import { ENVIRONMENT_BROWSER_KEY, VerifyBody, verifyEnvironment } from '../../studio/index.ts';
import type { KindHandler } from '../run/kind-call.ts';
import { runStartedOperation } from '../run/started-operation.ts';

/** `kind: verify`: the browser robot on an environment (its checks, or the pages named); fails when a check does. */
export const verifyStep: KindHandler = (call) => {
  const body = VerifyBody.parse(call.with);
  const { deps, request, input } = call;
  return runStartedOperation(
    call,
    `The browser verification of ${body.env ?? body.url}`,
    async () => {
      const started = await verifyEnvironment(deps, request, { ...body, slug: input.run.projectSlug });
      return {
        operationId: started.operationId,
        detail: { environment: started.environment, url: started.url },
      };
    },
    async (operation, detail) => {
      const result = (await findStepOutputs(deps.db, [operation.id], ENVIRONMENT_BROWSER_KEY)).get(
        operation.id,
      ) as VerificationResult | undefined;
      return {
        environment: detail.environment,
        url: detail.url,
        passed: result?.passed ?? true,
        pages: (result?.pages ?? []).map((p) => ({ name: p.name, url: p.url, passed: p.passed })),
      };
    },
  );
};
