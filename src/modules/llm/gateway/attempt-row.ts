import { createMasker } from '../../secrets/index.ts';
import type { Target } from '../providers/resolve-targets.ts';
import type { AttemptOutcome, AttemptRecord } from '../telemetry/attempt-record.ts';
import type { AttemptFailure } from './classify-error.ts';
import type { LlmCallContext, LlmFinishReason, LlmUsage } from './types.ts';
import { ZERO_USAGE } from './types.ts';

const MAX_MESSAGE = 500;

/** Builds an `llm_calls` row; error text is masked against every API key the gateway has resolved. */
export function attemptRow(input: {
  callId: string;
  attempt: number;
  retryIndex: number;
  target: Target;
  alias: string | null;
  outcome: AttemptOutcome;
  failure?: Pick<AttemptFailure, 'type' | 'message' | 'status'>;
  finishReason?: LlmFinishReason | null;
  resumeMode?: string | null;
  fallbackFrom: string | null;
  ttftMs?: number | null;
  durationMs?: number;
  usage?: LlmUsage;
  usageEstimated?: boolean;
  costUsd?: number | null;
  context: LlmCallContext;
  startedAt: Date;
  knownKeys: string[];
}): AttemptRecord {
  return {
    callId: input.callId,
    attempt: input.attempt,
    retryIndex: input.retryIndex,
    provider: input.target.provider.name,
    model: input.target.modelId,
    alias: input.alias,
    outcome: input.outcome,
    errorType: input.failure?.type ?? (input.outcome === 'ok' ? null : input.outcome),
    errorMessage: input.failure
      ? createMasker(input.knownKeys)(input.failure.message).slice(0, MAX_MESSAGE)
      : null,
    statusCode: input.failure?.status ?? null,
    finishReason: input.finishReason ?? null,
    resumeMode: input.resumeMode ?? null,
    fallbackFrom: input.fallbackFrom,
    ttftMs: input.ttftMs ?? null,
    durationMs: input.durationMs ?? 0,
    usage: input.usage ?? ZERO_USAGE,
    usageEstimated: input.usageEstimated ?? false,
    costUsd: input.costUsd ?? null,
    context: input.context,
    startedAt: input.startedAt,
  };
}
