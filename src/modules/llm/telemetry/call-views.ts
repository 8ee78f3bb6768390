import type { LlmCallView } from '../schemas.ts';
import type { LlmCallRow } from './call-store.ts';

export function toCallView(r: LlmCallRow): LlmCallView {
  return {
    id: r.id,
    callId: r.call_id,
    attempt: r.attempt,
    retryIndex: r.retry_index,
    provider: r.provider,
    model: r.model,
    alias: r.alias,
    outcome: r.outcome as LlmCallView['outcome'],
    errorType: r.error_type,
    errorMessage: r.error_message,
    statusCode: r.status_code,
    finishReason: r.finish_reason,
    resumeMode: r.resume_mode,
    fallbackFrom: r.fallback_from,
    ttftMs: r.ttft_ms,
    durationMs: r.duration_ms,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    cachedTokens: r.cached_tokens,
    usageEstimated: r.usage_estimated,
    costUsd: r.cost_usd,
    operationId: r.operation_id,
    projectId: r.project_id,
    conversationId: r.conversation_id,
    startedAt: r.started_at.toISOString(),
  };
}
