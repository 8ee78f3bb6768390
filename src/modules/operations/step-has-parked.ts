import type { Queryable } from '../../platform/db/pool.ts';

/**
 * Whether the step has parked before in this operation (its `step` events say so): a handler run
 * again after a durable wait (StepContext.park) uses it to write what it announces only once.
 */
export async function stepHasParked(db: Queryable, operationId: string, stepKey: string): Promise<boolean> {
  const { rows } = await db.query<{ parked: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM operation_events WHERE operation_id = $1 AND step_key = $2
                    AND type = 'step' AND data ? 'parked') AS parked`,
    [operationId, stepKey],
  );
  return rows[0]?.parked ?? false;
}
