import type { Queryable } from '../../../platform/db/pool.ts';
import type { AttemptRecord } from './attempt-record.ts';

export interface LlmCallRow {
  id: number;
  call_id: string;
  attempt: number;
  retry_index: number;
  provider: string;
  model: string;
  alias: string | null;
  outcome: string;
  error_type: string | null;
  error_message: string | null;
  status_code: number | null;
  finish_reason: string | null;
  resume_mode: string | null;
  fallback_from: string | null;
  ttft_ms: number | null;
  duration_ms: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  usage_estimated: boolean;
  cost_usd: number | null;
  operation_id: string | null;
  project_id: string | null;
  conversation_id: string | null;
  agent_session_id: string | null;
  started_at: Date;
}

const COLUMNS = [
  'call_id',
  'attempt',
  'retry_index',
  'provider',
  'model',
  'alias',
  'outcome',
  'error_type',
  'error_message',
  'status_code',
  'finish_reason',
  'resume_mode',
  'fallback_from',
  'ttft_ms',
  'duration_ms',
  'input_tokens',
  'output_tokens',
  'cached_tokens',
  'usage_estimated',
  'cost_usd',
  'operation_id',
  'project_id',
  'conversation_id',
  'agent_session_id',
  'started_at',
] as const;

function rowValues(r: AttemptRecord): unknown[] {
  return [
    r.callId,
    r.attempt,
    r.retryIndex,
    r.provider,
    r.model,
    r.alias,
    r.outcome,
    r.errorType,
    r.errorMessage,
    r.statusCode,
    r.finishReason,
    r.resumeMode,
    r.fallbackFrom,
    r.ttftMs,
    r.durationMs,
    r.usage.inputTokens,
    r.usage.outputTokens,
    r.usage.cachedInputTokens,
    r.usageEstimated,
    r.costUsd,
    r.context.operationId ?? null,
    r.context.projectId ?? null,
    r.context.conversationId ?? null,
    r.context.agentSessionId ?? null,
    r.startedAt,
  ];
}

/** Writes attempt rows in one statement (the recorder batches what piled up while a write ran). */
export async function insertAttempts(db: Queryable, records: AttemptRecord[]) {
  if (!records.length) return;
  const n = COLUMNS.length;
  const tuples = records.map((_, i) => `(${COLUMNS.map((__, j) => `$${i * n + j + 1}`).join(', ')})`);
  await db.query(
    `INSERT INTO llm_calls (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (call_id, attempt) DO NOTHING`,
    records.flatMap(rowValues),
  );
}
