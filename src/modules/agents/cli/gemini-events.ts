/**
 * Gemini CLI's stream-json: `init`, `message` (the user's prompt, then the model's text in
 * `delta` pieces), `tool_use`, `tool_result`, `error` (warnings such as a detected loop) and
 * `result` (status and token totals). Deltas are joined into one `message` per stretch of text.
 * Token figures come only with `result`; steps are counted as the model's turns (a turn ends
 * when tool results go back to it). Shell results carry the command's output but not its exit
 * code, so `command` events from Gemini have `exitCode: null`.
 */
import { type AgentEvent, type AgentUsage, ZERO_USAGE } from '../agent-runtime.ts';
import { clip } from '../clip.ts';
import { count, field, fileWritten, type MapperContext, type StreamMapper, text } from './cli-adapter.ts';

const FILE_TOOLS = new Set(['write_file', 'replace', 'edit']);

export function createGeminiMapper(context: MapperContext): StreamMapper {
  const calls = new Map<string, { name: string; args: unknown }>();
  let usage: AgentUsage = ZERO_USAGE;
  let pending = '';
  let lastMessage: string | undefined;
  let inTurn = false;
  let failure: string | undefined;

  const flush = (): AgentEvent[] => {
    const said = pending.trim();
    pending = '';
    if (!said) return [];
    lastMessage = said;
    return [{ type: 'message', role: 'assistant', text: said }];
  };
  /** The model is answering: the first output after tool results starts a new step. */
  const turn = (): AgentEvent[] => {
    if (inTurn) return [];
    inTurn = true;
    usage = { ...usage, steps: usage.steps + 1 };
    return [{ type: 'usage', ...usage }];
  };

  const toolResult = (event: Record<string, unknown>): AgentEvent[] => {
    inTurn = false;
    const id = text(event.tool_id) ?? '';
    const call = calls.get(id);
    const name = call?.name ?? 'tool';
    const isError = event.status === 'error';
    const output = text(event.output) ?? text(field(event.error, 'message')) ?? '';
    const events: AgentEvent[] = [
      { type: 'tool-result', id, name, output: clip(output), ...(isError ? { isError } : {}) },
    ];
    const command = text(field(call?.args, 'command'));
    if (name === 'run_shell_command' && command !== undefined)
      events.push({ type: 'command', command, exitCode: null, output: clip(output) });
    if (FILE_TOOLS.has(name) && !isError) {
      const whole = name === 'write_file' ? text(field(call?.args, 'content')) : undefined;
      const edit = fileWritten(context.workspace, text(field(call?.args, 'file_path')), whole);
      if (edit) events.push(edit);
    }
    return events;
  };

  const result = (event: Record<string, unknown>): AgentEvent[] => {
    const stats = field(event, 'stats');
    usage = {
      ...usage,
      inputTokens: count(field(stats, 'input_tokens')) || usage.inputTokens,
      outputTokens: count(field(stats, 'output_tokens')) || usage.outputTokens,
    };
    if (event.status !== 'success')
      failure = `Gemini CLI failed: ${text(field(event.error, 'message')) ?? text(event.status) ?? 'no result'}`;
    return [...flush(), { type: 'usage', ...usage }];
  };

  return {
    map(event) {
      switch (event.type) {
        case 'init':
          return [{ type: 'log', line: `Gemini CLI started (model ${text(event.model) ?? '?'}).` }];
        case 'message':
          if (event.role !== 'assistant') return [];
          pending += text(event.content) ?? '';
          return turn();
        case 'tool_use': {
          const id = text(event.tool_id) ?? `tool-${calls.size + 1}`;
          const name = text(event.tool_name) ?? 'tool';
          const args = event.parameters ?? {};
          calls.set(id, { name, args });
          return [...flush(), ...turn(), { type: 'tool-call', id, name, args }];
        }
        case 'tool_result':
          return [...flush(), ...toolResult(event)];
        case 'error':
          return [
            ...flush(),
            {
              type: 'log',
              line: `Gemini CLI (${text(event.severity) ?? 'error'}): ${text(event.message) ?? ''}`,
              stream: 'stderr',
            },
          ];
        case 'result':
          return result(event);
        default:
          context.onUnknown?.(event);
          return [];
      }
    },
    finish: () => ({ events: flush(), summary: lastMessage, failure }),
  };
}
