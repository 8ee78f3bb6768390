import { DomainError } from '../../platform/errors.ts';
import { untilAborted } from '../../platform/until-aborted.ts';
import {
  type AgentBudget,
  type AgentContext,
  type AgentEvent,
  type AgentRuntime,
  type AgentTask,
  type AgentUsage,
  type AgentWorkspace,
  ZERO_USAGE,
} from './agent-runtime.ts';

/** A run stopped because it passed one of its budget's limits. */
export class AgentBudgetExceededError extends DomainError {
  readonly code = 'agent_budget_exceeded';
  readonly status = 402;
  constructor(
    readonly limit: keyof AgentBudget,
    readonly allowed: number,
    readonly spent: number,
  ) {
    super(`The agent passed its budget: ${limit} is ${allowed}, it reached ${spent}.`, {
      limit,
      allowed,
      spent,
    });
  }
}

export interface AgentOutcome {
  summary: string;
  commitMessage?: string;
  usage: AgentUsage;
  filesChanged: number;
}

function overBudget(budget: AgentBudget, usage: AgentUsage): AgentBudgetExceededError | undefined {
  const tokens = usage.inputTokens + usage.outputTokens;
  if (budget.maxSteps !== undefined && usage.steps > budget.maxSteps)
    return new AgentBudgetExceededError('maxSteps', budget.maxSteps, usage.steps);
  if (budget.maxTokens !== undefined && tokens > budget.maxTokens)
    return new AgentBudgetExceededError('maxTokens', budget.maxTokens, tokens);
  if (budget.maxCostUsd !== undefined && usage.costUsd > budget.maxCostUsd)
    return new AgentBudgetExceededError('maxCostUsd', budget.maxCostUsd, usage.costUsd);
  return undefined;
}

/**
 * Runs an agent to its `result`, handing every event to `onEvent`, and enforces the task's budget
 * the same way for every runtime: wall time by a timer, steps/tokens/cost from its `usage` events.
 * Aborting `ctx.signal` (or passing a limit) aborts the signal the runtime sees; the run then
 * rejects with the reason.
 */
export async function driveAgent(
  runtime: AgentRuntime,
  task: AgentTask,
  workspace: AgentWorkspace,
  ctx: AgentContext & { onEvent?: (event: AgentEvent) => void | Promise<void> },
): Promise<AgentOutcome> {
  const budget = task.budget ?? {};
  const controller = new AbortController();
  const forward = () => controller.abort(ctx.signal.reason);
  if (ctx.signal.aborted) forward();
  else ctx.signal.addEventListener('abort', forward, { once: true });
  const timer =
    budget.maxWallMs !== undefined
      ? setTimeout(
          () =>
            controller.abort(new AgentBudgetExceededError('maxWallMs', budget.maxWallMs!, budget.maxWallMs!)),
          budget.maxWallMs,
        )
      : undefined;
  let usage = ZERO_USAGE;
  const files = new Set<string>();
  let events: AsyncIterator<AgentEvent> | undefined;
  try {
    events = runtime.run(task, workspace, { ...ctx, signal: controller.signal })[Symbol.asyncIterator]();
    for (;;) {
      // A runtime stuck in an await still lets the run end at once on abort or timeout.
      const next = await untilAborted(events.next(), controller.signal);
      if (next.done) break;
      const event = next.value;
      if (event.type === 'usage') {
        const { type: _, ...spent } = event;
        usage = spent;
        const exceeded = overBudget(budget, usage);
        if (exceeded) controller.abort(exceeded);
      }
      if (event.type === 'file') files.add(event.path);
      await ctx.onEvent?.(event);
      controller.signal.throwIfAborted();
      if (event.type === 'result') {
        return {
          summary: event.summary,
          commitMessage: event.commitMessage,
          usage,
          filesChanged: files.size,
        };
      }
    }
    controller.signal.throwIfAborted();
    throw new Error(`The ${runtime.name} agent stopped without a result.`);
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', forward);
    // Not awaited: a runtime that ignores its signal must not hold the caller.
    void events?.return?.(undefined)?.catch(() => undefined);
  }
}
