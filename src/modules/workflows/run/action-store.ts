import type { Queryable } from '../../../platform/db/pool.ts';

/** What a workflow step started and waits for (table `workflow_actions`). */
export interface ActionRow {
  operation_id: string;
  step_key: string;
  kind: string;
  started_operation_id: string;
  detail: Record<string, unknown>;
  deadline: Date | null;
  spent: boolean;
  cancel_requested: boolean;
  created_at: Date;
}

/** The step's action still to be waited for or read (not spent by a failure it reported). */
export async function findLiveAction(db: Queryable, operationId: string, stepKey: string) {
  const { rows } = await db.query<ActionRow>(
    'SELECT * FROM workflow_actions WHERE operation_id = $1 AND step_key = $2 AND NOT spent AND NOT cancel_requested',
    [operationId, stepKey],
  );
  return rows[0];
}

/** Records what the step started (replacing a spent action of an earlier attempt). */
export async function recordAction(
  db: Queryable,
  row: Omit<ActionRow, 'spent' | 'cancel_requested'>,
): Promise<ActionRow> {
  const { rows } = await db.query<ActionRow>(
    `INSERT INTO workflow_actions (operation_id, step_key, kind, started_operation_id, detail, deadline, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (operation_id, step_key) DO UPDATE SET started_operation_id = EXCLUDED.started_operation_id,
       kind = EXCLUDED.kind, detail = EXCLUDED.detail, deadline = EXCLUDED.deadline, spent = false,
       cancel_requested = false, created_at = EXCLUDED.created_at
     RETURNING *`,
    [
      row.operation_id,
      row.step_key,
      row.kind,
      row.started_operation_id,
      JSON.stringify(row.detail),
      row.deadline,
      row.created_at,
    ],
  );
  return rows[0]!;
}

/** The step reported the action's failure (or it was stopped): a retry of the step starts a new one. */
export async function spendAction(
  db: Queryable,
  operationId: string,
  stepKey: string,
  startedOperationId?: string,
) {
  await db.query(
    `UPDATE workflow_actions SET spent = true
     WHERE operation_id = $1 AND step_key = $2 AND ($3::uuid IS NULL OR started_operation_id = $3)`,
    [operationId, stepKey, startedOperationId ?? null],
  );
}

/** The run ended: what its steps started and still wait for is to be stopped (by the workers). */
export async function requestActionCancels(db: Queryable, operationId: string) {
  await db.query(
    'UPDATE workflow_actions SET cancel_requested = true WHERE operation_id = $1 AND NOT spent',
    [operationId],
  );
}

/** Actions of ended runs still to be stopped, oldest first. */
export async function actionsToCancel(db: Queryable, limit = 50): Promise<ActionRow[]> {
  const { rows } = await db.query<ActionRow>(
    'SELECT * FROM workflow_actions WHERE cancel_requested AND NOT spent ORDER BY created_at LIMIT $1',
    [limit],
  );
  return rows;
}
