import { DEFAULT_AGENT_PROFILE } from './modules/agents/index.ts';
import { TaskBudget } from './modules/automation/index.ts';

/**
 * The LLM budgets that apply when nothing else is set, for the admin panel: each from the module
 * that enforces it. There is no instance-wide budget; these are changed where each says.
 */
export function budgetDefaults(): Array<{
  scope: string;
  configuredIn: string;
  defaults: Record<string, number | null>;
}> {
  const task = TaskBudget.parse({});
  return [
    {
      scope: 'Agent session',
      configuredIn:
        "the project's .orchard/agent.yml (budget: maxSteps, maxTokens, maxCostUsd, maxWallMinutes), or the budget of the request that starts the session",
      defaults: { ...DEFAULT_AGENT_PROFILE.budget },
    },
    {
      scope: 'Automation task',
      configuredIn:
        'the budget of the request that starts the task (modelCalls, costUsd, actions, timeoutMs, stepTimeoutMs)',
      defaults: {
        modelCalls: task.modelCalls,
        costUsd: task.costUsd ?? null,
        actions: task.actions,
        timeoutMs: task.timeoutMs,
        stepTimeoutMs: task.stepTimeoutMs,
      },
    },
  ];
}
