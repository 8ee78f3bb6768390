import type { LlmCallContext, LlmUsage } from '../gateway/types.ts';

export type AttemptOutcome = 'ok' | 'error' | 'budget_exceeded' | 'aborted' | 'breaker_open';

/** One row of `llm_calls`: one attempt of one logical call. Never holds a prompt or an API key. */
export interface AttemptRecord {
  callId: string;
  /** 1, 2, 3… over the whole call (all models). */
  attempt: number;
  /** 0 for the first try on a model, then 1, 2… for its retries and resumes. */
  retryIndex: number;
  provider: string;
  model: string;
  alias: string | null;
  outcome: AttemptOutcome;
  errorType: string | null;
  errorMessage: string | null;
  statusCode: number | null;
  finishReason: string | null;
  /** `prefill` or `continue` when this attempt resumed a broken stream. */
  resumeMode: string | null;
  /** `provider/model` this call fell back from, on the first attempt of each later model. */
  fallbackFrom: string | null;
  ttftMs: number | null;
  durationMs: number;
  usage: LlmUsage;
  usageEstimated: boolean;
  costUsd: number | null;
  context: LlmCallContext;
  startedAt: Date;
}
