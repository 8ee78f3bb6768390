import type { Queryable } from '../../platform/db/pool.ts';

export interface StepAttempts {
  /** A top-level step key (a fan-out child counts as its parent: `verify/browser` is `verify`). */
  step: string;
  /** Operations in which the step ran at least once. */
  operations: number;
  attempts: number;
  /** Attempts that failed (retried or final, lease expiries included). */
  failures: number;
}

/**
 * How often each step of these operations ran and failed, from their event logs: every attempt
 * writes a `running` step event and every failed attempt an `error` event — so the counts survive
 * retries of the whole operation, which reset the steps' own counters.
 */
export async function countStepAttempts(
  db: Queryable,
  operationIds: ReadonlyArray<string>,
): Promise<StepAttempts[]> {
  if (!operationIds.length) return [];
  const { rows } = await db.query<{ step: string; operations: string; attempts: string; failures: string }>(
    `SELECT split_part(step_key, '/', 1) AS step,
            count(DISTINCT operation_id) FILTER (WHERE type = 'step') AS operations,
            count(*) FILTER (WHERE type = 'step') AS attempts,
            count(*) FILTER (WHERE type = 'error') AS failures
       FROM operation_events
      WHERE operation_id = ANY($1::uuid[]) AND step_key IS NOT NULL
        AND ((type = 'step' AND data->>'status' = 'running') OR (type = 'error' AND data ? 'attempt'))
      GROUP BY 1 ORDER BY 1`,
    [[...new Set(operationIds)]],
  );
  return rows.map((r) => ({
    step: r.step,
    operations: Number(r.operations),
    attempts: Number(r.attempts),
    failures: Number(r.failures),
  }));
}
