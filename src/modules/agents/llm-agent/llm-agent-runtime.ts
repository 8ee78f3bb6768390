/**
 * `llm-agent`: Orchard's own coding agent. A tool loop through the LLM gateway (alias `coder` by
 * default): the model reads and edits the workspace with the tools in agent-tools.ts, runs
 * commands and tests in the sandbox, and calls `finish`. Every model call is one gateway call
 * (metered, with retries and fallbacks); every tool call and result is an event the session
 * records — and that record is what a resumed run continues from (transcript.ts). With the
 * session's MCP endpoint, Orchard's own tools join the workspace tools (orchard-tools.ts).
 *
 * Stops: `finish` (result), a turn with no tool call (its text is the summary), the budget
 * (driveAgent, from the usage events; output tokens are also capped at what is left), the same
 * call repeated (after a warning), or cancellation.
 */
import type { ModelMessage } from 'ai';
import { DomainError } from '../../../platform/errors.ts';
import type { LlmStream, LlmStreamRequest } from '../../llm/index.ts';
import type {
  AgentContext,
  AgentEvent,
  AgentRuntime,
  AgentTask,
  AgentUsage,
  AgentWorkspace,
} from '../agent-runtime.ts';
import { workspaceGitEnv } from '../workspace-git-env.ts';
import { systemPrompt, taskMessage } from './agent-prompt.ts';
import { AGENT_TOOLS, type RunCommand, runTool } from './agent-tools.ts';
import { connectOrchardTools, type OrchardTools } from './orchard-tools.ts';
import { compactMessages, estimateConversationTokens, resumeFrom } from './transcript.ts';

export interface LlmAgentOptions {
  gateway: { stream(request: LlmStreamRequest): LlmStream };
  /** Runs `run`/`run_tests` commands in the sandbox; without it those tools refuse. */
  runCommand?: RunCommand;
  testCommand?: string;
  /** The model's context window in tokens; compaction starts at 70 % of it (default 128k). */
  contextTokens?: number;
  /** Output tokens per model call (default 8192), lowered near the token budget. */
  maxOutputTokens?: number;
  /** The same call (tool and arguments) this many times in a row stops the run (default 4). */
  maxRepeats?: number;
}

/** The run stopped on its own terms (repeating itself, or a model that cannot go on). */
export class AgentStoppedError extends DomainError {
  readonly code = 'agent_stopped';
  readonly status = 422;
}

export function createLlmAgentRuntime(options: LlmAgentOptions): AgentRuntime {
  return {
    name: 'llm-agent',
    run: (task, workspace, ctx) => runLoop(options, task, workspace, ctx),
  };
}

async function* runLoop(
  options: LlmAgentOptions,
  task: AgentTask,
  workspace: AgentWorkspace,
  ctx: AgentContext,
): AsyncGenerator<AgentEvent> {
  let orchard: OrchardTools | undefined;
  if (ctx.mcp) {
    try {
      orchard = await connectOrchardTools(ctx.mcp, ctx.signal);
    } catch (error) {
      // Without them the agent still does its work in the workspace: say so, and go on.
      ctx.signal.throwIfAborted();
      const why = (error as Error).message;
      yield { type: 'log', line: `Orchard's MCP tools are unavailable this run: ${why}`, stream: 'stderr' };
    }
  }
  try {
    yield* toolLoop(options, task, workspace, ctx, orchard);
  } finally {
    await orchard?.close().catch(() => undefined);
  }
}

async function* toolLoop(
  options: LlmAgentOptions,
  task: AgentTask,
  workspace: AgentWorkspace,
  ctx: AgentContext,
  orchard: OrchardTools | undefined,
): AsyncGenerator<AgentEvent> {
  const testCommand = options.testCommand ?? 'npm test';
  const system = await systemPrompt(workspace, task, testCommand);
  const resumed = resumeFrom(ctx.history ?? []);
  const messages: ModelMessage[] = resumed.messages;
  let usage: AgentUsage = resumed.usage;
  const budget = task.budget ?? {};
  const window = options.contextTokens ?? 128_000;
  const maxRepeats = options.maxRepeats ?? 4;
  const env = {
    dir: workspace.dir,
    gitEnv: workspaceGitEnv(workspace),
    runCommand: options.runCommand,
    testCommand,
    signal: ctx.signal,
  };

  if (!messages.length) {
    const text = taskMessage(task);
    messages.push({ role: 'user', content: text });
    yield { type: 'message', role: 'user', text };
  } else if (resumed.finished) {
    throw new AgentStoppedError('The session has finished; send a follow-up message to continue it.');
  } else if (messages.at(-1)?.role !== 'user') {
    // Only a run cut short says it resumes; a new run, or a follow-up, starts on an instruction.
    yield {
      type: 'log',
      line: `Resuming after ${messages.length} recorded messages (${usage.steps} model calls so far).`,
    };
  }

  let lastCall = '';
  let repeats = 0;
  // Runs a turn's tool calls in order, recording each result; returns the summary if one finished.
  async function* runCalls(
    calls: { id: string; name: string; args: unknown }[],
  ): AsyncGenerator<AgentEvent, string | undefined> {
    const results: ModelMessage & { role: 'tool' } =
      messages.at(-1)?.role === 'tool'
        ? (messages.pop() as ModelMessage & { role: 'tool' })
        : { role: 'tool', content: [] };
    let summary: string | undefined;
    try {
      for (const call of calls) {
        ctx.signal.throwIfAborted();
        const key = `${call.name}:${JSON.stringify(call.args)}`;
        repeats = key === lastCall ? repeats + 1 : 1;
        lastCall = key;
        if (repeats >= maxRepeats)
          throw new AgentStoppedError(
            `The agent repeated the same ${call.name} call ${repeats} times in a row; stopped so it does not spend the budget going in circles.`,
          );
        const outcome = orchard?.has(call.name)
          ? { ...(await orchard.call(call.name, call.args, ctx.signal)), events: [] }
          : await runTool(env, call.name, call.args);
        for (const event of outcome.events) yield event;
        let output = outcome.output;
        if (repeats === maxRepeats - 1)
          output += '\n[You made exactly this call before. Do something different.]';
        results.content.push({
          type: 'tool-result',
          toolCallId: call.id,
          toolName: call.name,
          output: { type: outcome.isError ? 'error-text' : 'text', value: output },
        });
        yield {
          type: 'tool-result',
          id: call.id,
          name: call.name,
          output,
          ...(outcome.isError ? { isError: true } : {}),
        };
        if (outcome.finished !== undefined) summary = outcome.finished;
      }
    } finally {
      if (results.content.length) messages.push(results);
    }
    return summary;
  }

  // A run cut short after `finish` had its result ends now, without asking the model again.
  const resumedSummary = resumed.pending.length
    ? ((yield* runCalls(resumed.pending)) ?? resumed.finishedWith)
    : resumed.finishedWith;
  if (resumedSummary !== undefined) {
    yield { type: 'result', summary: resumedSummary, commitMessage: commitMessage(task, resumedSummary) };
    return;
  }

  for (;;) {
    ctx.signal.throwIfAborted();
    if (estimateConversationTokens(system, messages) > window * 0.7) {
      const elided = compactMessages(messages);
      if (elided)
        yield { type: 'log', line: `Context near the model's window: elided ${elided} old tool outputs.` };
    }
    let maxOutputTokens = options.maxOutputTokens ?? 8_192;
    if (budget.maxTokens !== undefined) {
      const left = budget.maxTokens - usage.inputTokens - usage.outputTokens;
      maxOutputTokens = Math.max(1, Math.min(maxOutputTokens, left));
    }
    const stream = options.gateway.stream({
      ...(task.model?.includes('/') ? { model: task.model } : { alias: task.model ?? 'coder' }),
      system,
      messages,
      tools: orchard ? { ...AGENT_TOOLS, ...orchard.tools } : AGENT_TOOLS,
      maxOutputTokens,
      signal: ctx.signal,
      context: { operationId: ctx.operationId, projectId: ctx.projectId, agentSessionId: ctx.sessionId },
    });
    let text = '';
    const calls: { id: string; name: string; args: unknown }[] = [];
    for await (const event of stream) {
      if (event.type === 'text-delta') text += event.text;
      else if (event.type === 'tool-call') calls.push({ id: event.id, name: event.name, args: event.args });
      else if (event.type === 'finish') {
        usage = {
          steps: usage.steps + 1,
          inputTokens: usage.inputTokens + event.usage.inputTokens,
          outputTokens: usage.outputTokens + event.usage.outputTokens,
          costUsd: usage.costUsd + event.costUsd,
        };
      }
    }
    const content: Exclude<(ModelMessage & { role: 'assistant' })['content'], string> = [];
    if (text) content.push({ type: 'text', text });
    for (const call of calls)
      content.push({ type: 'tool-call', toolCallId: call.id, toolName: call.name, input: call.args });
    messages.push({ role: 'assistant', content });
    if (text) yield { type: 'message', role: 'assistant', text };
    for (const call of calls) yield { type: 'tool-call', ...call };
    yield { type: 'usage', ...usage };
    if (!calls.length) {
      const summary = text.trim() || 'The model ended its turn without a summary.';
      yield { type: 'result', summary, commitMessage: commitMessage(task, summary) };
      return;
    }
    const summary = yield* runCalls(calls);
    if (summary !== undefined) {
      yield { type: 'result', summary, commitMessage: commitMessage(task, summary) };
      return;
    }
  }
}

function commitMessage(task: AgentTask, summary: string): string {
  return `${task.title}\n\n${summary}`;
}
