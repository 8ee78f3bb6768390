import { estimateTokens } from './conversation.ts';
import { type Fault, faultFromEntry } from './faults.ts';
import { DEFAULT_REPLY } from './scenario.ts';
import type { ParsedScenarioEntry } from './schemas.ts';

/** What a protocol needs to know about the request to shape the scripted answer. */
export interface LlmRequest {
  model: string;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`: only then is the usage chunk sent. */
  includeUsage: boolean;
  promptText: string;
  promptTokens: number;
  prefill: string | null;
  continueFrom: string | null;
  /** Anthropic structured output through a forced tool (the AI SDK's `json` tool): that tool's name. */
  jsonTool: string | null;
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
  toolCall: ToolCallReply | null;
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
  toolCallId: string,
): Reply {
  const script = entry ?? { reply: DEFAULT_REPLY };
  let text = script.reply ?? null;
  let toolCall = script.toolCall ?? null;
  if (script.json !== undefined) {
    if (request.jsonTool) toolCall = { name: request.jsonTool, args: script.json as Record<string, unknown> };
    else text = JSON.stringify(script.json);
  }
  // A fault-only entry still streams some text before it breaks.
  if (text === null && !toolCall) text = DEFAULT_REPLY;
  // Resuming a broken stream: answer only what follows the text the client already has.
  const resumeFrom = request.prefill ?? request.continueFrom;
  if (text !== null && resumeFrom && text.startsWith(resumeFrom)) text = text.slice(resumeFrom.length);
  const call = toolCall && {
    id: toolCallId,
    name: toolCall.name,
    args: toolCall.args,
    argsJson: JSON.stringify(toolCall.args),
  };
  return {
    text,
    toolCall: call,
    chunkSize: script.chunkSize ?? DEFAULT_CHUNK_SIZE,
    delayMs: script.delayMs ?? 0,
    fault: overrideFault ?? (entry ? faultFromEntry(entry) : null),
    outputTokens: estimateTokens((text ?? '') + (call?.argsJson ?? '')),
  };
}

/** Splits text into pieces of `size` characters (by code point, so no surrogate pair is cut). */
export function chunkText(text: string, size: number): string[] {
  const chars = Array.from(text);
  const chunks: string[] = [];
  for (let i = 0; i < chars.length; i += size) chunks.push(chars.slice(i, i + size).join(''));
  return chunks;
}
