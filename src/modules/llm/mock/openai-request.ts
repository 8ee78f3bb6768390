import { z } from 'zod';
import { estimateTokens, readConversation, type Turn, toolResultText } from './conversation.ts';
import { describeIssue, type RequestRejected } from './protocol.ts';
import type { LlmRequest } from './reply.ts';

const Content = z.union([
  z.string(),
  z.null(),
  z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
]);

/** A call the assistant made: `function` calls, or `custom` (freeform) ones. */
const Named = z.looseObject({ name: z.string() });
const ToolCall = z.looseObject({ id: z.string(), function: Named.optional(), custom: Named.optional() });

/** The fields of a chat.completions body the mock reads; anything else passes through unchecked. */
export const OpenAiChatBody = z.looseObject({
  model: z.string().min(1),
  messages: z
    .array(
      z.looseObject({
        role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
        content: Content.optional(),
        tool_calls: z.array(ToolCall).nullish(),
        tool_call_id: z.string().optional(),
      }),
    )
    .min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  /** vLLM's way to continue a trailing assistant message (OpenAI itself has no prefill). */
  continue_final_message: z.boolean().optional(),
});

type Reject = (status: number, message: string) => RequestRejected;

/** Reads a chat.completions request the way an OpenAI-compatible server would. */
export function readOpenAiRequest(body: unknown, reject: Reject): LlmRequest {
  const parsed = OpenAiChatBody.safeParse(body);
  if (!parsed.success) throw reject(400, describeIssue(parsed.error));
  const data = parsed.data;
  const system: string[] = [];
  const turns: Turn[] = [];
  for (const m of data.messages) {
    if (m.role === 'system' || m.role === 'developer') system.push(contentText(m.content));
    else if (m.role === 'tool') {
      // One `tool` message per result; readConversation joins them into one user turn.
      turns.push({
        role: 'user',
        text: '',
        toolResults: [{ callId: m.tool_call_id, text: toolResultText(m.content) }],
      });
    } else if (m.role === 'assistant') {
      const toolCalls = (m.tool_calls ?? []).map((c) => ({
        id: c.id,
        name: c.function?.name ?? c.custom?.name ?? '',
      }));
      turns.push({ role: 'assistant', text: contentText(m.content), toolCalls });
    } else turns.push({ role: 'user', text: contentText(m.content) });
  }
  const facts = readConversation(system.join('\n'), turns, data.continue_final_message === true);
  if (facts.prefill !== null && data.model.includes('no-prefill')) {
    throw reject(400, 'This model does not support continue_final_message.');
  }
  return {
    model: data.model,
    stream: data.stream === true,
    includeUsage: data.stream_options?.include_usage === true,
    ...facts,
    promptTokens: estimateTokens(facts.promptText),
    jsonTool: null,
  };
}

function contentText(content: z.infer<typeof Content> | undefined): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((p) => p.text ?? '').join('');
}
