import type { Queryable } from '../../../platform/db/pool.ts';

/** Tokens and cost of every LLM call booked to an agent session so far (in-process and proxied alike). */
export async function sessionSpend(
  db: Queryable,
  agentSessionId: string,
): Promise<{ tokens: number; costUsd: number }> {
  const { rows } = await db.query<{ tokens: string; cost: string }>(
    `SELECT coalesce(sum(input_tokens + output_tokens), 0) AS tokens, coalesce(sum(cost_usd), 0) AS cost
       FROM llm_calls WHERE agent_session_id = $1`,
    [agentSessionId],
  );
  return { tokens: Number(rows[0]?.tokens ?? 0), costUsd: Number(rows[0]?.cost ?? 0) };
}
