import type { LlmUsage } from './types.ts';

/** USD per million tokens, from the config price table (`input`, `cachedInput`, `output`). */
export interface ModelPrices {
  input: number;
  cachedInput?: number;
  output: number;
}

/**
 * Cost of one attempt. Cached input tokens are part of `inputTokens` (as the AI SDK reports them)
 * and are billed at the cached rate (the input rate when the table has none); `null` when the
 * model has no price entry at all.
 */
export function costOf(usage: LlmUsage, prices: ModelPrices | undefined): number | null {
  if (!prices) return null;
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const fresh = usage.inputTokens - cached;
  const micro =
    fresh * prices.input + cached * (prices.cachedInput ?? prices.input) + usage.outputTokens * prices.output;
  // Rounded to 1e-10 USD (the llm_calls column's scale) so sums do not collect float noise.
  return Math.round(micro * 1e4) / 1e10;
}

/** About four characters per token: the estimate used before a call and while a stream runs. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}
