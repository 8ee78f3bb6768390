import { z } from 'zod';
import { estimateTokens, readConversation, type Turn, toolResultText } from './conversation.ts';
import { describeIssue, type RequestRejected } from './protocol.ts';
import type { LlmRequest } from './reply.ts';

const Part = z.looseObject({ type: z.string(), text: z.string().optional() });
const Content = z.union([z.string(), z.array(Part)]);
/** An input item: a message (with or without `type: "message"`), a function call or its output. */
const Item = z.looseObject({
  type: z.string().optional(),
  role: z.enum(['system', 'developer', 'user', 'assistant']).optional(),
  content: Content.optional(),
  /** function_call and custom_tool_call items, and their outputs */
  call_id: z.string().optional(),
  name: z.string().optional(),
  /** A call of a tool in a namespace (an MCP server's, for Codex) */
  namespace: z.string().optional(),
  output: z.unknown().optional(),
});
const Tool = z.looseObject({ type: z.string().optional(), name: z.string().optional() });

// Codex's freeform tools (apply_patch) come back as custom tool calls; their outputs are tool results too.
const CALL_TYPES = new Set(['function_call', 'custom_tool_call']);
const OUTPUT_TYPES = new Set(['function_call_output', 'custom_tool_call_output']);

/** The fields of a Responses API body the mock reads; anything else passes through unchecked. */
export const OpenAiResponsesBody = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(Item).min(1)]),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  tools: z.array(Tool).nullish(),
});

type Reject = (status: number, message: string) => RequestRejected;

/** Reads a `POST /v1/responses` request the way OpenAI would. */
export function readOpenAiResponsesRequest(body: unknown, reject: Reject): LlmRequest {
  const parsed = OpenAiResponsesBody.safeParse(body);
  if (!parsed.success) throw reject(400, describeIssue(parsed.error));
  const data = parsed.data;
  const system: string[] = data.instructions ? [data.instructions] : [];
  const turns: Turn[] = [];
  const items =
    typeof data.input === 'string' ? [{ role: 'user' as const, content: data.input }] : data.input;
  for (const item of items) {
    if (item.type !== undefined && OUTPUT_TYPES.has(item.type)) {
      turns.push({
        role: 'user',
        text: '',
        toolResults: [{ callId: item.call_id, text: toolResultText(item.output) }],
      });
    } else if (item.type !== undefined && CALL_TYPES.has(item.type)) {
      // The model's own call, sent back: part of the assistant turn that made it.
      const name = item.namespace ? `${item.namespace}__${item.name ?? ''}` : (item.name ?? '');
      const call = { id: item.call_id ?? '', name };
      turns.push({ role: 'assistant', text: '', toolCalls: [call] });
    } else if (item.type === undefined || item.type === 'message') {
      const text = contentText(item.content);
      if (item.role === 'system' || item.role === 'developer') system.push(text);
      else turns.push({ role: item.role === 'assistant' ? 'assistant' : 'user', text });
    }
    // Reasoning items the client sends back are the model's own and carry no words to match.
  }
  if (!turns.length) throw reject(400, "input: at least one 'user' message is required");
  const facts = readConversation(system.join('\n'), turns, false);
  const namespaces = (data.tools ?? []).flatMap((t) => (t.type === 'namespace' && t.name ? [t.name] : []));
  return {
    model: data.model,
    stream: data.stream === true,
    includeUsage: true,
    ...facts,
    promptTokens: estimateTokens(facts.promptText),
    jsonTool: null,
    ...(namespaces.length ? { namespaces } : {}),
  };
}

function contentText(content: z.infer<typeof Content> | undefined): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((p) => p.text ?? '').join('');
}
