import type { Queryable } from '../../../platform/db/pool.ts';
import type { LlmCallRow } from './call-store.ts';

export interface CallFilters {
  callId?: string;
  provider?: string;
  model?: string;
  alias?: string;
  outcome?: string;
  errorType?: string;
  projectId?: string;
  operationId?: string;
  conversationId?: string;
  since?: string;
  until?: string;
}

/** Attempts, newest first, keyset-paginated on (started_at, id). */
export async function listCallRows(
  db: Queryable,
  f: CallFilters,
  limit: number,
  after: [string, number] | undefined,
): Promise<LlmCallRow[]> {
  const { rows } = await db.query<LlmCallRow>(
    `SELECT * FROM llm_calls
     WHERE ($1::uuid IS NULL OR call_id = $1) AND ($2::text IS NULL OR provider = $2) AND ($3::text IS NULL OR model = $3)
       AND ($4::text IS NULL OR alias = $4) AND ($5::text IS NULL OR outcome = $5) AND ($6::text IS NULL OR error_type = $6)
       AND ($7::uuid IS NULL OR project_id = $7) AND ($8::uuid IS NULL OR operation_id = $8)
       AND ($9::uuid IS NULL OR conversation_id = $9)
       AND ($10::timestamptz IS NULL OR started_at >= $10) AND ($11::timestamptz IS NULL OR started_at < $11)
       AND ($12::timestamptz IS NULL OR (started_at, id) < ($12::timestamptz, $13::bigint))
     ORDER BY started_at DESC, id DESC LIMIT $14`,
    [
      f.callId ?? null,
      f.provider ?? null,
      f.model ?? null,
      f.alias ?? null,
      f.outcome ?? null,
      f.errorType ?? null,
      f.projectId ?? null,
      f.operationId ?? null,
      f.conversationId ?? null,
      f.since ?? null,
      f.until ?? null,
      after?.[0] ?? null,
      after?.[1] ?? null,
      limit,
    ],
  );
  return rows;
}

export interface CallSummary {
  calls: number;
  attempts: number;
  failed: number;
  retried: number;
  fell_back: number;
  ttft_p50: number | null;
  ttft_p95: number | null;
  duration_p50: number | null;
  duration_p95: number | null;
  cost: number;
}

// Attempts in the window, then one row per logical call: its start, end, first delivered chunk.
const CALLS_CTE = `
  WITH a AS (
    SELECT * FROM llm_calls WHERE started_at >= $1 AND started_at < $2 AND ($3::uuid IS NULL OR project_id = $3)
  ), c AS (
    SELECT call_id,
      min(started_at) AS started,
      max(started_at + duration_ms * interval '1 millisecond') AS ended,
      min(started_at + ttft_ms * interval '1 millisecond') AS first_chunk,
      bool_or(outcome = 'ok') AS ok,
      bool_or(outcome = 'aborted') AS aborted,
      bool_or(retry_index > 0) AS retried,
      bool_or(fallback_from IS NOT NULL) AS fell_back,
      count(*) AS attempts,
      coalesce(sum(cost_usd), 0) AS cost
    FROM a GROUP BY call_id
  )`;

export async function summarizeCalls(
  db: Queryable,
  from: Date,
  to: Date,
  projectId: string | null,
): Promise<CallSummary> {
  const { rows } = await db.query<CallSummary>(
    `${CALLS_CTE}
     SELECT count(*)::int AS calls, coalesce(sum(attempts), 0)::int AS attempts,
       count(*) FILTER (WHERE NOT ok AND NOT aborted)::int AS failed,
       count(*) FILTER (WHERE retried)::int AS retried,
       count(*) FILTER (WHERE fell_back)::int AS fell_back,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_chunk - started) * 1000) AS ttft_p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM first_chunk - started) * 1000) AS ttft_p95,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ended - started) * 1000) AS duration_p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM ended - started) * 1000) AS duration_p95,
       coalesce(sum(cost), 0)::float8 AS cost
     FROM c`,
    [from, to, projectId],
  );
  return rows[0]!;
}

export interface SpendRow {
  provider: string | null;
  model: string | null;
  project_id: string | null;
  calls: number;
  attempts: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  cost: number;
}

/** Tokens and cost grouped by provider, by provider+model, or by project. */
export async function spendBy(
  db: Queryable,
  by: 'provider' | 'model' | 'project',
  from: Date,
  to: Date,
  projectId: string | null,
): Promise<SpendRow[]> {
  const columns = { provider: 'a.provider', model: 'a.provider, a.model', project: 'a.project_id' }[by];
  const { rows } = await db.query<SpendRow>(
    `SELECT ${columns}, count(DISTINCT a.call_id)::int AS calls, count(*)::int AS attempts,
       sum(a.input_tokens)::bigint AS input_tokens, sum(a.output_tokens)::bigint AS output_tokens,
       sum(a.cached_tokens)::bigint AS cached_tokens, coalesce(sum(a.cost_usd), 0)::float8 AS cost
     FROM llm_calls a
     WHERE a.started_at >= $1 AND a.started_at < $2 AND ($3::uuid IS NULL OR a.project_id = $3)
     GROUP BY ${columns} ORDER BY cost DESC, calls DESC LIMIT 100`,
    [from, to, projectId],
  );
  return rows;
}
