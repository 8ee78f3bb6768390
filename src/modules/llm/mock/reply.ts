import { type ConversationFacts, estimateTokens } from './conversation.ts';
import { type Fault, faultFromEntry } from './faults.ts';
import { DEFAULT_REPLY } from './scenario.ts';
import type { ParsedScenarioEntry } from './schemas.ts';

/** What a protocol needs to know about the request to pick and shape the scripted answer. */
export interface LlmRequest extends ConversationFacts {
  model: string;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`: only then is the usage chunk sent. */
  includeUsage: boolean;
  promptTokens: number;
  /** Anthropic structured output through a forced tool (the AI SDK's `json` tool): that tool's name. */
  jsonTool: string | null;
  /**
   * Responses API: the tool namespaces the request offers (Codex puts an MCP server's tools in
   * `mcp__<server>`). A scripted call named `<namespace>__<tool>` answers as `tool` in that namespace.
   */
  namespaces?: string[];
}

export interface ToolCallReply {
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** The arguments as the JSON text streamed in pieces. */
  argsJson: string;
}

/** The answer for one request, after continuation and fault override are applied. */
export interface Reply {
  text: string | null;
  /** In the order the entry lists them; empty when the answer is text only. */
  toolCalls: ToolCallReply[];
  chunkSize: number;
  delayMs: number;
  fault: Fault | null;
  outputTokens: number;
}

export const DEFAULT_CHUNK_SIZE = 8;

/** Turns a scenario entry (or none: the default reply) into the answer for this request. */
export function buildReply(
  entry: ParsedScenarioEntry | null,
  request: LlmRequest,
  overrideFault: Fault | null,
  toolCallId: (index: number) => string,
): Reply {
  const script = entry ?? { reply: DEFAULT_REPLY };
  let text = script.reply ?? null;
  let calls = script.toolCalls ?? (script.toolCall ? [script.toolCall] : []);
  if (script.json !== undefined) {
    if (request.jsonTool) calls = [{ name: request.jsonTool, args: script.json as Record<string, unknown> }];
    else text = JSON.stringify(script.json);
  }
  // A fault-only entry still streams some text before it breaks.
  if (text === null && !calls.length) text = DEFAULT_REPLY;
  // Resuming a broken stream: answer only what follows the text the client already has.
  const resumeFrom = request.prefill ?? request.continueFrom;
  if (text !== null && resumeFrom && text.startsWith(resumeFrom)) text = text.slice(resumeFrom.length);
  const toolCalls = calls.map((call, index) => ({
    id: toolCallId(index),
    name: call.name,
    args: call.args,
    argsJson: JSON.stringify(call.args),
  }));
  return {
    text,
    toolCalls,
    chunkSize: script.chunkSize ?? DEFAULT_CHUNK_SIZE,
    delayMs: script.delayMs ?? 0,
    fault: overrideFault ?? (entry ? faultFromEntry(entry) : null),
    outputTokens: estimateTokens((text ?? '') + toolCalls.map((c) => c.argsJson).join('')),
  };
}

/** Splits text into pieces of `size` characters (by code point, so no surrogate pair is cut). */
export function chunkText(text: string, size: number): string[] {
  const chars = Array.from(text);
  const chunks: string[] = [];
  for (let i = 0; i < chars.length; i += size) chunks.push(chars.slice(i, i + size).join(''));
  return chunks;
}
