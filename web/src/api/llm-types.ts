/** Shapes of the LLM telemetry API (they mirror src/modules/llm/schemas.ts). */

export type LlmOutcome = 'ok' | 'error' | 'budget_exceeded' | 'aborted' | 'breaker_open';

/** One attempt; attempts of one logical call share a `callId`. */
export interface LlmCall {
  id: number;
  callId: string;
  attempt: number;
  retryIndex: number;
  provider: string;
  model: string;
  alias: string | null;
  outcome: LlmOutcome;
  errorType: string | null;
  errorMessage: string | null;
  statusCode: number | null;
  finishReason: string | null;
  resumeMode: string | null;
  fallbackFrom: string | null;
  ttftMs: number | null;
  durationMs: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  usageEstimated: boolean;
  costUsd: number | null;
  operationId: string | null;
  projectId: string | null;
  conversationId: string | null;
  startedAt: string;
}

export const LLM_WINDOWS = ['15m', '1h', '6h', '24h', '7d', '30d'] as const;
export type LlmWindow = (typeof LLM_WINDOWS)[number];
export const LLM_WINDOW_SECONDS: Record<LlmWindow, number> = {
  '15m': 900,
  '1h': 3600,
  '6h': 6 * 3600,
  '24h': 86400,
  '7d': 7 * 86400,
  '30d': 30 * 86400,
};

export interface LlmSpend {
  calls: number;
  attempts: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  costUsd: number;
}

export interface LlmStats {
  window: string;
  from: string;
  to: string;
  calls: number;
  attempts: number;
  errorRate: number;
  retryRate: number;
  fallbackRate: number;
  ttftMs: { p50: number | null; p95: number | null };
  durationMs: { p50: number | null; p95: number | null };
  costUsd: number;
  byProvider: Array<LlmSpend & { provider: string }>;
  byModel: Array<LlmSpend & { provider: string; model: string }>;
  byProject: Array<LlmSpend & { projectId: string | null; slug: string | null }>;
}
