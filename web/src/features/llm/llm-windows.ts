import type { LlmWindow } from '../../api/llm-types.ts';

/** The windows the LLM page offers (every one the stats route accepts), shortest first. */
export const LLM_WINDOWS = ['15m', '1h', '6h', '24h', '7d', '30d'] as const satisfies readonly LlmWindow[];

/** How far back each window reaches, for the calls table's `since`. */
export const LLM_WINDOW_SECONDS: Record<LlmWindow, number> = {
  '15m': 900,
  '1h': 3600,
  '6h': 6 * 3600,
  '24h': 86400,
  '7d': 7 * 86400,
  '30d': 30 * 86400,
};
