/**
 * Codex's `exec --json` lines: `thread.started`, `turn.started`, `item.started` / `item.updated` /
 * `item.completed` (an item is an agent message, reasoning, a command, a file change, an MCP tool
 * call, a web search, a to-do list or a non-fatal error), `turn.completed` (with the turn's
 * tokens), `turn.failed`, and `error` (a retry notice; the failure itself is `turn.failed`).
 * Codex does not say when it calls the model, so steps are counted as one for the turn plus one
 * for every tool result handed back to the model.
 */
import { type AgentEvent, type AgentUsage, ZERO_USAGE } from '../agent-runtime.ts';
import { clip } from '../clip.ts';
import { count, field, type MapperContext, type StreamMapper, text, workspacePath } from './cli-adapter.ts';

type Item = Record<string, unknown>;

function toolName(item: Item): string {
  switch (item.type) {
    case 'command_execution':
      return 'shell';
    case 'file_change':
      return 'apply_patch';
    case 'mcp_tool_call':
      return `${text(item.server) ?? 'mcp'}.${text(item.tool) ?? 'tool'}`;
    default:
      return String(item.type);
  }
}

function toolArgs(item: Item): unknown {
  switch (item.type) {
    case 'command_execution':
      return { command: item.command };
    case 'file_change':
      return { changes: item.changes };
    case 'mcp_tool_call':
      return item.arguments ?? {};
    case 'web_search':
      return { query: item.query };
    default:
      return {};
  }
}

/** Codex passes an API's error body on as its message; the body's own message is what people need. */
function readable(message: string): string {
  try {
    return text(field(field(JSON.parse(message), 'error'), 'message')) ?? message;
  } catch {
    return message;
  }
}

const TOOL_ITEMS = new Set(['command_execution', 'file_change', 'mcp_tool_call', 'web_search']);

export function createCodexMapper(context: MapperContext): StreamMapper {
  const started = new Set<string>();
  let usage: AgentUsage = ZERO_USAGE;
  let lastMessage: string | undefined;
  let failure: string | undefined;

  const step = (): AgentEvent => {
    usage = { ...usage, steps: usage.steps + 1 };
    return { type: 'usage', ...usage };
  };

  const call = (item: Item, id: string): AgentEvent[] => {
    if (started.has(id)) return [];
    started.add(id);
    return [{ type: 'tool-call', id, name: toolName(item), args: toolArgs(item) }];
  };

  const completed = (item: Item, id: string): AgentEvent[] => {
    const failed = item.status === 'failed' || item.status === 'declined';
    switch (item.type) {
      case 'agent_message': {
        const said = text(item.text)?.trim();
        if (!said) return [];
        lastMessage = said;
        return [{ type: 'message', role: 'assistant', text: said }];
      }
      case 'command_execution': {
        const output = text(item.aggregated_output) ?? '';
        const exitCode = typeof item.exit_code === 'number' ? item.exit_code : null;
        return [
          ...call(item, id),
          {
            type: 'tool-result',
            id,
            name: 'shell',
            output: clip(output),
            ...(failed || exitCode !== 0 ? { isError: true } : {}),
          },
          { type: 'command', command: text(item.command) ?? '', exitCode, output: clip(output) },
          step(),
        ];
      }
      case 'file_change': {
        const changes = Array.isArray(item.changes) ? item.changes : [];
        const files = changes.flatMap((change): AgentEvent[] => {
          const relative = workspacePath(context.workspace, text(field(change, 'path')) ?? '');
          if (!relative || failed) return [];
          return [
            { type: 'file', path: relative, action: field(change, 'kind') === 'delete' ? 'delete' : 'write' },
          ];
        });
        const listed = changes.map((c) => `${text(field(c, 'kind')) ?? 'update'} ${text(field(c, 'path'))}`);
        return [
          ...call(item, id),
          {
            type: 'tool-result',
            id,
            name: 'apply_patch',
            output: clip(`${failed ? 'failed' : 'applied'}: ${listed.join(', ')}`),
            ...(failed ? { isError: true } : {}),
          },
          ...files,
          step(),
        ];
      }
      case 'mcp_tool_call':
      case 'web_search': {
        const error = text(field(item.error, 'message'));
        const result = item.result === undefined ? '' : JSON.stringify(item.result);
        return [
          ...call(item, id),
          {
            type: 'tool-result',
            id,
            name: toolName(item),
            output: clip(error ?? result),
            ...(failed || error ? { isError: true } : {}),
          },
          step(),
        ];
      }
      case 'error':
        // Non-fatal notices (e.g. no metadata for the model's name); a failure ends the turn instead.
        return [{ type: 'log', line: `Codex: ${text(item.message) ?? 'error'}`, stream: 'stderr' }];
      case 'reasoning':
      case 'todo_list':
        return [];
      default:
        context.onUnknown?.(item);
        return [];
    }
  };

  return {
    map(event) {
      const item = field(event, 'item') as Item | undefined;
      const id = text(field(item, 'id')) ?? '';
      switch (event.type) {
        case 'thread.started':
          return [];
        case 'turn.started':
          return [step()];
        case 'item.started':
        case 'item.updated':
          return item && TOOL_ITEMS.has(String(item.type)) ? call(item, id) : [];
        case 'item.completed':
          return item ? completed(item, id) : [];
        case 'turn.completed': {
          const u = field(event, 'usage');
          usage = {
            ...usage,
            inputTokens: usage.inputTokens + count(field(u, 'input_tokens')),
            outputTokens: usage.outputTokens + count(field(u, 'output_tokens')),
          };
          return [{ type: 'usage', ...usage }];
        }
        case 'turn.failed':
          failure = `Codex failed: ${readable(text(field(field(event, 'error'), 'message')) ?? 'the turn failed')}`;
          return [];
        case 'error':
          return [
            { type: 'log', line: `Codex: ${readable(text(event.message) ?? 'error')}`, stream: 'stderr' },
          ];
        default:
          context.onUnknown?.(event);
          return [];
      }
    },
    finish: () => ({ events: [], summary: lastMessage, failure }),
  };
}
