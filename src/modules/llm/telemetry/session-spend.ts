import type { Queryable } from '../../../platform/db/pool.ts';
import type { UnwrittenSpend } from './call-recorder.ts';

/**
 * Tokens and cost of every LLM call booked to an agent session so far (in-process and proxied
 * alike): its `llm_calls` rows, plus, given the gateway, the rows still waiting to be written.
 */
export async function sessionSpend(
  db: Queryable,
  agentSessionId: string,
  gateway?: { unwrittenSpend(agentSessionId: string): UnwrittenSpend },
): Promise<{ tokens: number; costUsd: number }> {
  // Before the query: a row leaves the unwritten count only once committed, so none is missed.
  const unwritten = gateway?.unwrittenSpend(agentSessionId) ?? { tokens: 0, costUsd: 0 };
  const { rows } = await db.query<{ tokens: string; cost: string }>(
    `SELECT coalesce(sum(input_tokens + output_tokens), 0) AS tokens, coalesce(sum(cost_usd), 0) AS cost
       FROM llm_calls WHERE agent_session_id = $1`,
    [agentSessionId],
  );
  return {
    tokens: Number(rows[0]?.tokens ?? 0) + unwritten.tokens,
    costUsd: Number(rows[0]?.cost ?? 0) + unwritten.costUsd,
  };
}
