import { AutomationTaskBody, startAutomationTask } from '../../automation/index.ts';
import { listProjectEnvironments } from '../../deploy/index.ts';
import { NonRetryableError } from '../../operations/index.ts';
import type { KindHandler } from '../run/kind-call.ts';
import { runStartedOperation } from '../run/started-operation.ts';

/**
 * `kind: automation`: a browser task (steps or a goal) on an environment — `env` (with `path`) or
 * `url` — to its end; outputs what it extracted.
 */
export const automationStep: KindHandler = (call) => {
  const { env, url, path, ...task } = call.with as { env?: string; url?: string; path?: string };
  const { deps, request, input } = call;
  return runStartedOperation(
    call,
    `The automation task on ${env ?? url}`,
    async () => {
      let startUrl = url;
      if (env !== undefined) {
        const found = (await listProjectEnvironments(deps, request, input.run.projectSlug)).items.find(
          (e) => e.name === env,
        );
        if (!found?.url)
          throw new NonRetryableError(`Environment ${env} does not exist or serves nothing yet.`);
        startUrl = new URL(path ?? '/', found.url).toString();
      }
      if (!startUrl) throw new NonRetryableError('An automation step needs env (and path) or url.');
      const body = AutomationTaskBody.parse({ ...task, startUrl });
      const started = await startAutomationTask(deps, request, input.run.projectSlug, body);
      return { operationId: started.operationId, detail: { startUrl } };
    },
    async (operation, detail) => ({ startUrl: detail.startUrl, output: operation.output }),
  );
};
