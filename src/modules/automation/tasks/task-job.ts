import { z } from 'zod';
import type { Queryable } from '../../../platform/db/pool.ts';
import type { LlmGateway } from '../../llm/index.ts';
import {
  defineStep,
  defineWorkflow,
  NonRetryableError,
  type Registry,
  type StepContext,
} from '../../operations/index.ts';
import type { AutomationDeps } from '../jobs.ts';
import { BlockedUrlError, createUrlGuard } from '../url-guard.ts';
import { PLANNER_ALIAS, Planner } from './planner.ts';
import { runTask } from './run-task.ts';
import { AutomationTaskBody, type AutomationTaskInput, TASK_KIND } from './task-input.ts';
import type { TaskRunResult } from './task-run-types.ts';
import { createVariables } from './variables.ts';

/** What tasks need beyond the robot's own deps: the cache's database, the planner, the secrets. */
export interface TaskDeps {
  db: Queryable;
  llm?: LlmGateway;
  /** The project's secrets by name (protected ones only when allowed); missing names fail. */
  secrets(projectId: string, names: string[], protectedAllowed: boolean): Promise<Record<string, string>>;
}

const TaskInput = z.object({
  projectId: z.uuid(),
  task: AutomationTaskBody,
  protectedSecrets: z.boolean(),
});

export const TASK_STEP = 'automation.run-task';

/** `automation.task`: one step on the browser lane. Not retried: a task may have submitted a form. */
export function registerTaskJobs(registry: Registry, deps: AutomationDeps & { tasks: TaskDeps }): void {
  registry.add(
    defineWorkflow(TASK_KIND, TaskInput, (input) => [{ key: 'browser', step: TASK_STEP, input }]),
    defineStep<AutomationTaskInput, TaskRunResult>(TASK_STEP, {
      queue: 'browser',
      retry: { maxAttempts: 1 },
      timeoutMs: 31 * 60_000,
      handler: (ctx) => runTaskStep(deps, ctx),
    }),
  );
}

export async function runTaskStep(
  deps: AutomationDeps & { tasks: TaskDeps },
  ctx: StepContext<AutomationTaskInput>,
): Promise<TaskRunResult> {
  const { task, projectId } = TaskInput.parse(ctx.input);
  const secrets = task.secrets.length
    ? await deps.tasks.secrets(projectId, task.secrets, ctx.input.protectedSecrets)
    : {};
  const variables = createVariables(task.variables, secrets);
  const guard = createUrlGuard({
    environment: (await deps.environmentOf?.(task.startUrl))?.targets ?? [],
    allowHosts: deps.config.automation.allowHosts,
    allowPrivate: deps.config.automation.allowPrivate,
  });
  const llm = deps.tasks.llm;
  const planner =
    llm && (await llm.isConfigured({ alias: PLANNER_ALIAS }))
      ? new Planner({
          gateway: llm,
          context: { operationId: ctx.operationId, projectId },
          signal: ctx.signal,
          budget: task.budget,
          onCall: (call) => ctx.emit({ type: 'planner', ...call }),
        })
      : undefined;
  const total = task.steps ? task.steps.length + 1 : undefined;
  ctx.log(
    `Task at ${variables.redact(task.startUrl)}: ${task.goal ? `goal "${variables.redact(task.goal)}"` : `${task.steps!.length} step(s)`}`,
  );
  let result: TaskRunResult;
  try {
    const cookies = (await deps.accessCookies?.(task.startUrl)) ?? [];
    result = await runTask({
      task,
      cookies,
      projectId,
      variables,
      pool: deps.pool,
      guard,
      artifacts: deps.artifacts,
      artifactPrefix: `operations/${ctx.operationId}/${ctx.stepKey}/attempt-${ctx.attempt}`,
      ...(planner ? { planner } : {}),
      cacheDb: deps.tasks.db,
      signal: ctx.signal,
      ...(deps.logger ? { logger: deps.logger } : {}),
      onArtifact: (artifact) => ctx.emit({ type: 'artifact', ...artifact }),
      onStep: async (step) => {
        await ctx.emit({ type: 'task-step', ...step });
        const cache = step.cache ? ` [cache ${step.cache}]` : '';
        ctx.log(
          `${step.passed ? 'ok  ' : 'FAIL'} ${step.index}. ${step.name}${cache} — ${step.message} (${step.ms} ms)`,
          step.passed ? 'stdout' : 'stderr',
        );
        if (total) await ctx.progress(Math.min(1, (step.index + 1) / total), step.name);
      },
    });
  } catch (error) {
    if (error instanceof BlockedUrlError) throw new NonRetryableError(variables.redact(error.message));
    throw error;
  }
  await ctx.emit({ type: 'task-result', ...summary(result) });
  ctx.log(
    `Cache: ${result.cache.hits} hit(s), ${result.cache.misses} miss(es), ${result.cache.heals} heal(s); planner: ${result.planner.calls} call(s), $${result.planner.costUsd.toFixed(4)}`,
  );
  if (!result.passed)
    throw new NonRetryableError(`The task failed: ${result.stoppedBecause ?? 'a step failed'}`);
  return result;
}

/** The result without the per-step detail (which the task-step events carry). */
function summary(r: TaskRunResult) {
  const { steps, ...rest } = r;
  return { ...rest, stepCount: steps.length, failedStep: steps.find((s) => !s.passed)?.index ?? null };
}
