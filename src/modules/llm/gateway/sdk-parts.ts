import type { LanguageModelUsage } from 'ai';
import type { LlmFinishReason, LlmUsage } from './types.ts';

/** The provider's reported usage, or undefined when the stream broke before it said. */
export function usageOf(usage: LanguageModelUsage): LlmUsage | undefined {
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return undefined;
  return {
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    cachedInputTokens: usage.inputTokenDetails?.cacheReadTokens ?? usage.cachedInputTokens ?? 0,
  };
}

export function finishReasonOf(reason: string): LlmFinishReason {
  return reason === 'stop' || reason === 'length' || reason === 'tool-calls' || reason === 'content-filter'
    ? reason
    : 'other';
}
