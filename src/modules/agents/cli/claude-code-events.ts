/**
 * Claude Code's stream-json, as 2.1 writes it: `system` (init), `assistant` (one line per content
 * block, all with the id of their model message), `user` (tool results, with `tool_use_result`
 * details), `result` (the end: text, turns, tokens, cost). Usage on `assistant` lines is the
 * stream's first snapshot, so it is summed per message for a running figure and replaced by the
 * `result`'s exact total at the end.
 */
import { type AgentEvent, type AgentUsage, ZERO_USAGE } from '../agent-runtime.ts';
import { clip } from '../clip.ts';
import { count, field, fileWritten, type MapperContext, type StreamMapper, text } from './cli-adapter.ts';

const FILE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

interface ToolUse {
  name: string;
  input: unknown;
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => text(field(part, 'text')) ?? '')
    .filter(Boolean)
    .join('\n');
}

export function createClaudeCodeMapper(context: MapperContext): StreamMapper {
  const tools = new Map<string, ToolUse>();
  const perMessage = new Map<string, { input: number; output: number }>();
  let usage: AgentUsage = ZERO_USAGE;
  let summary: string | undefined;
  let failure: string | undefined;

  const messageUsage = (message: unknown): AgentEvent[] => {
    const id = text(field(message, 'id'));
    const u = field(message, 'usage');
    if (!id || !u) return [];
    const isNew = !perMessage.has(id);
    perMessage.set(id, {
      input:
        count(field(u, 'input_tokens')) +
        count(field(u, 'cache_creation_input_tokens')) +
        count(field(u, 'cache_read_input_tokens')),
      output: count(field(u, 'output_tokens')),
    });
    const totals = [...perMessage.values()];
    usage = {
      steps: perMessage.size,
      inputTokens: totals.reduce((sum, t) => sum + t.input, 0),
      outputTokens: totals.reduce((sum, t) => sum + t.output, 0),
      costUsd: usage.costUsd,
    };
    return isNew ? [{ type: 'usage', ...usage }] : [];
  };

  const assistant = (event: Record<string, unknown>): AgentEvent[] => {
    const message = field(event, 'message');
    const events: AgentEvent[] = [];
    const synthetic = field(message, 'model') === '<synthetic>';
    const content = field(message, 'content');
    for (const block of Array.isArray(content) ? content : []) {
      const kind = field(block, 'type');
      if (kind === 'text') {
        const said = text(field(block, 'text'))?.trim();
        // A `<synthetic>` message is Claude Code's own words (an API error), not the model's.
        if (said && synthetic) events.push({ type: 'log', line: `Claude Code: ${said}`, stream: 'stderr' });
        else if (said) events.push({ type: 'message', role: 'assistant', text: said });
      } else if (kind === 'tool_use') {
        const id = text(field(block, 'id')) ?? `tool-${tools.size + 1}`;
        const name = text(field(block, 'name')) ?? 'tool';
        const input = field(block, 'input') ?? {};
        tools.set(id, { name, input });
        events.push({ type: 'tool-call', id, name, args: input });
      }
      // `thinking` blocks are the model's own notes: not part of the transcript.
    }
    return synthetic ? events : [...events, ...messageUsage(message)];
  };

  const toolResult = (block: unknown): AgentEvent[] => {
    const id = text(field(block, 'tool_use_id')) ?? '';
    const call = tools.get(id);
    const name = call?.name ?? 'tool';
    const output = resultText(field(block, 'content'));
    const isError = field(block, 'is_error') === true;
    const events: AgentEvent[] = [
      { type: 'tool-result', id, name, output: clip(output), ...(isError ? { isError } : {}) },
    ];
    const command = text(field(call?.input, 'command'));
    if (name === 'Bash' && command !== undefined) {
      // A failing command's result starts "Exit code N"; one that never ran (refused, timed out) has no code.
      const exit = /^Exit code (\d+)/.exec(output);
      events.push({
        type: 'command',
        command,
        exitCode: isError ? (exit ? Number(exit[1]) : null) : 0,
        output: clip(output),
      });
    }
    if (call && FILE_TOOLS.has(name) && !isError) {
      const file = text(field(call.input, 'file_path')) ?? text(field(call.input, 'notebook_path'));
      const whole = name === 'Write' ? text(field(call.input, 'content')) : undefined;
      const edit = fileWritten(context.workspace, file, whole);
      if (edit) events.push(edit);
    }
    return events;
  };

  const result = (event: Record<string, unknown>): AgentEvent[] => {
    const said = text(field(event, 'result'));
    const u = field(event, 'usage');
    usage = {
      steps: count(field(event, 'num_turns')) || usage.steps,
      inputTokens: u
        ? count(field(u, 'input_tokens')) +
          count(field(u, 'cache_creation_input_tokens')) +
          count(field(u, 'cache_read_input_tokens'))
        : usage.inputTokens,
      outputTokens: u ? count(field(u, 'output_tokens')) : usage.outputTokens,
      // Claude Code's own estimate at list prices; Orchard's proxy meters what was really spent.
      costUsd: count(field(event, 'total_cost_usd')),
    };
    if (field(event, 'is_error') === true || field(event, 'subtype') !== 'success') {
      const subtype = text(field(event, 'subtype')) ?? 'error';
      failure =
        subtype === 'error_max_turns'
          ? `Claude Code stopped after ${usage.steps} turns, the task's step limit.`
          : `Claude Code ended with ${subtype}${said ? `: ${said}` : ''}`;
    } else summary = said;
    return [{ type: 'usage', ...usage }];
  };

  return {
    map(event) {
      switch (event.type) {
        case 'assistant':
          return assistant(event);
        case 'user': {
          const content = field(field(event, 'message'), 'content');
          return (Array.isArray(content) ? content : [])
            .filter((block) => field(block, 'type') === 'tool_result')
            .flatMap(toolResult);
        }
        case 'result':
          return result(event);
        case 'system':
          if (field(event, 'subtype') === 'init')
            return [
              { type: 'log', line: `Claude Code started (model ${text(field(event, 'model')) ?? '?'}).` },
            ];
          context.onUnknown?.(event);
          return [];
        default:
          context.onUnknown?.(event);
          return [];
      }
    },
    finish: () => ({ events: [], summary, failure }),
  };
}
