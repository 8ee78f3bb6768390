import { z } from 'zod';
import { estimateTokens, readConversation, type Turn, toolResultText } from './conversation.ts';
import { describeIssue, type RequestRejected } from './protocol.ts';
import type { LlmRequest } from './reply.ts';

const Block = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  /** tool_use */
  id: z.string().optional(),
  name: z.string().optional(),
  /** tool_result */
  tool_use_id: z.string().optional(),
  content: z.unknown().optional(),
});
const Content = z.union([z.string(), z.array(Block)]);

/** The fields of a Messages API body the mock reads; anything else passes through unchecked. */
export const AnthropicMessagesBody = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.int().min(1),
  // Claude Code 2.x sends `system` turns between the others (reminders the harness injects), with
  // the `mid-conversation-system-*` beta. The mock takes them with or without that header.
  messages: z
    .array(z.looseObject({ role: z.enum(['user', 'assistant', 'system']), content: Content }))
    .min(1),
  system: z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string() }))]).optional(),
  stream: z.boolean().optional(),
  tools: z.array(z.looseObject({ name: z.string() })).optional(),
  tool_choice: z.looseObject({ type: z.string(), name: z.string().optional() }).optional(),
  output_config: z.looseObject({ format: z.unknown().optional() }).optional(),
});

/** count_tokens takes the same body without `max_tokens`. */
export const AnthropicCountTokensBody = AnthropicMessagesBody.partial({ max_tokens: true });

export const NO_PREFILL_MESSAGE =
  'This model does not support assistant message prefill. The conversation must end with a user message.';

type Reject = (status: number, message: string) => RequestRejected;

/** Reads a Messages request the way the API would, refusing what the API refuses. */
export function readAnthropicRequest(body: unknown, reject: Reject, countOnly = false): LlmRequest {
  const parsed = (countOnly ? AnthropicCountTokensBody : AnthropicMessagesBody).safeParse(body);
  if (!parsed.success) throw reject(400, describeIssue(parsed.error));
  const data = parsed.data;
  const instructions = [
    typeof data.system === 'string' ? data.system : (data.system ?? []).map((b) => b.text).join('\n'),
    // A system turn inside the conversation is an instruction too; it is not a turn of either side.
    ...data.messages.filter((m) => m.role === 'system').map((m) => readTurn('user', m.content).text),
  ];
  const system = instructions.filter((t) => t.length > 0).join('\n');
  const turns: Turn[] = data.messages.flatMap((m) =>
    m.role === 'system' ? [] : [readTurn(m.role, m.content)],
  );
  if (!turns.length) throw reject(400, 'messages: at least one user or assistant message is required');
  const facts = readConversation(system, turns, true);
  if (facts.prefill !== null) {
    // Claude 4.6 and later refuse prefill; model ids containing "no-prefill" play that part.
    if (data.model.includes('no-prefill')) throw reject(400, NO_PREFILL_MESSAGE);
    if (/\s$/.test(facts.prefill)) {
      throw reject(400, 'messages: final assistant content cannot end with trailing whitespace');
    }
  }
  const wantsJsonText = data.output_config?.format !== undefined;
  return {
    model: data.model,
    stream: data.stream === true,
    includeUsage: true,
    ...facts,
    promptTokens: estimateTokens(facts.promptText),
    jsonTool: wantsJsonText ? null : forcedTool(data),
  };
}

/** The one tool the model must call, if any: how clients without output_config get structured output. */
function forcedTool(data: z.infer<typeof AnthropicCountTokensBody>): string | null {
  const choice = data.tool_choice;
  if (choice?.type === 'tool') return choice.name ?? null;
  // The AI SDK's `json` tool comes alone with tool_choice `any`.
  if (choice?.type === 'any' && data.tools?.length === 1) return data.tools[0]?.name ?? null;
  return null;
}

/** Text blocks are the turn's words; tool_use blocks its calls; tool_result blocks the answers to them. */
function readTurn(role: Turn['role'], content: z.infer<typeof Content>): Turn {
  if (typeof content === 'string') return { role, text: content };
  const words: string[] = [];
  const toolCalls: NonNullable<Turn['toolCalls']> = [];
  const toolResults: NonNullable<Turn['toolResults']> = [];
  for (const block of content) {
    if (block.type === 'tool_result') {
      toolResults.push({ callId: block.tool_use_id, text: toolResultText(block.content) });
    } else if (block.type === 'tool_use' && block.id !== undefined && block.name !== undefined) {
      toolCalls.push({ id: block.id, name: block.name });
    } else if (typeof block.text === 'string' && block.text.length > 0) {
      words.push(block.text);
    }
  }
  return { role, text: words.join('\n'), toolCalls, toolResults };
}
