import type { LlmGenerateResult, LlmStream, LlmToolCall } from './types.ts';

/** Drains a stream into one result (text, tool calls, usage and cost). */
export async function collect(stream: LlmStream): Promise<LlmGenerateResult> {
  let text = '';
  const toolCalls: LlmToolCall[] = [];
  for await (const event of stream) {
    if (event.type === 'text-delta') text += event.text;
    else if (event.type === 'tool-call') toolCalls.push({ id: event.id, name: event.name, args: event.args });
    else if (event.type === 'finish') {
      return {
        text,
        toolCalls,
        finishReason: event.reason,
        usage: event.usage,
        costUsd: event.costUsd,
        callId: event.callId,
        provider: event.provider,
        model: event.model,
        attempts: event.attempts,
      };
    }
  }
  // A finish event always ends a stream that does not throw.
  throw new Error(`LLM call ${stream.callId} ended without a finish event`);
}
