/**
 * The transcript is the checkpoint: an llm-agent run that resumes rebuilds its conversation from
 * the events the session recorded, and finds the tool calls that never got their result.
 */
import type { ModelMessage } from 'ai';
import { type AgentEvent, type AgentUsage, ZERO_USAGE } from '../agent-runtime.ts';

export interface Resumed {
  messages: ModelMessage[];
  /** Tool calls of the last assistant turn without a recorded result: run them first. */
  pending: { id: string; name: string; args: unknown }[];
  usage: AgentUsage;
  /** The last `result` ended a run and nothing was asked since: nothing to continue. */
  finished: boolean;
  /**
   * The summary of a `finish` call whose result was recorded when the run's `result` was not (the
   * worker died in between): the run has ended, and ends again without another model call.
   */
  finishedWith?: string;
}

type AssistantPart =
  | { type: 'text'; text: string }
  | { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown };
type ToolPart = {
  type: 'tool-result';
  toolCallId: string;
  toolName: string;
  output: { type: 'text'; value: string } | { type: 'error-text'; value: string };
};

export function resumeFrom(history: AgentEvent[]): Resumed {
  const messages: ModelMessage[] = [];
  let usage: AgentUsage = ZERO_USAGE;
  let assistant: AssistantPart[] | undefined;
  let tools: ToolPart[] | undefined;
  let finished = false;
  let finishedWith: string | undefined;
  const calls = new Map<string, { name: string; input: unknown }>();
  const flush = () => {
    if (assistant) messages.push({ role: 'assistant', content: assistant });
    if (tools) messages.push({ role: 'tool', content: tools });
    assistant = undefined;
    tools = undefined;
  };
  for (const event of history) {
    switch (event.type) {
      case 'message':
        if (event.role === 'user') {
          flush();
          messages.push({ role: 'user', content: event.text });
          finished = false;
          finishedWith = undefined;
        } else {
          if (tools) flush();
          assistant ??= [];
          assistant.push({ type: 'text', text: event.text });
        }
        break;
      case 'tool-call':
        if (tools) flush();
        assistant ??= [];
        assistant.push({ type: 'tool-call', toolCallId: event.id, toolName: event.name, input: event.args });
        calls.set(event.id, { name: event.name, input: event.args });
        break;
      case 'tool-result':
        tools ??= [];
        tools.push({
          type: 'tool-result',
          toolCallId: event.id,
          toolName: event.name,
          output: { type: event.isError ? 'error-text' : 'text', value: event.output },
        });
        if (event.name === 'finish' && !event.isError) {
          const summary = (calls.get(event.id)?.input as { summary?: unknown } | undefined)?.summary;
          finishedWith = typeof summary === 'string' ? summary : '';
        }
        break;
      case 'usage': {
        const { type: _, ...spent } = event;
        usage = spent;
        break;
      }
      case 'result':
        finished = true;
        finishedWith = undefined;
        break;
    }
  }
  const answered = new Set((tools ?? []).map((t) => t.toolCallId));
  const pending = (assistant ?? []).flatMap((p) =>
    p.type === 'tool-call' && !answered.has(p.toolCallId)
      ? [{ id: p.toolCallId, name: p.toolName, args: p.input }]
      : [],
  );
  if (assistant && !pending.length && !tools) {
    // An assistant turn of text only ended a run; keep it as is.
    messages.push({ role: 'assistant', content: assistant });
  } else {
    if (assistant) messages.push({ role: 'assistant', content: assistant });
    // Results of the turn so far stay; the pending calls' results join them once run.
    if (tools) messages.push({ role: 'tool', content: tools });
  }
  return { messages, pending, usage, finished, ...(finishedWith !== undefined ? { finishedWith } : {}) };
}

const ELIDED = '[output elided to save context; run the tool again if you need it]';

/** Rough token count of a conversation: about four characters per token. */
export function estimateConversationTokens(system: string, messages: ModelMessage[]): number {
  return Math.ceil((system.length + JSON.stringify(messages).length) / 4);
}

/**
 * Compaction: replaces the output of old tool results (all but the last `keepTurns` tool
 * messages) with a marker. Tool calls and the model's own words stay, so the conversation keeps
 * its shape and every call keeps its result. Returns how many results were elided.
 */
export function compactMessages(messages: ModelMessage[], keepTurns = 4): number {
  const toolIndexes = messages.flatMap((m, i) => (m.role === 'tool' ? [i] : []));
  let elided = 0;
  for (const i of toolIndexes.slice(0, Math.max(0, toolIndexes.length - keepTurns))) {
    const message = messages[i]!;
    if (message.role !== 'tool') continue;
    for (const part of message.content) {
      if (part.type !== 'tool-result' || part.output.type !== 'text' || part.output.value === ELIDED)
        continue;
      if (part.output.value.length <= ELIDED.length) continue;
      part.output = { type: 'text', value: ELIDED };
      elided += 1;
    }
  }
  return elided;
}
