import type { Queryable } from '../../../platform/db/pool.ts';

/** What the LLM calls booked to each of these operations cost, in USD (operations without calls: 0). */
export async function operationsSpend(
  db: Queryable,
  operationIds: ReadonlyArray<string>,
): Promise<Map<string, { costUsd: number; tokens: number; calls: number }>> {
  const ids = [...new Set(operationIds)];
  if (!ids.length) return new Map();
  const { rows } = await db.query<{ operation_id: string; cost: string; tokens: string; calls: string }>(
    `SELECT operation_id, coalesce(sum(cost_usd), 0) AS cost,
            coalesce(sum(input_tokens + output_tokens), 0) AS tokens, count(*) AS calls
       FROM llm_calls WHERE operation_id = ANY($1::uuid[]) GROUP BY operation_id`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.operation_id,
      { costUsd: Number(r.cost), tokens: Number(r.tokens), calls: Number(r.calls) },
    ]),
  );
}
