import type { Queryable } from '../../platform/db/pool.ts';

/** A run of a workflow (table `workflow_runs`); its status is its operation's. */
export interface RunRow {
  operation_id: string;
  project_id: string;
  workflow: string;
  ref: string;
  sha: string;
  trigger: 'manual' | 'schedule';
  inputs: Record<string, unknown>;
  created_at: Date;
}

export async function insertRun(db: Queryable, row: RunRow) {
  await db.query(
    `INSERT INTO workflow_runs (operation_id, project_id, workflow, ref, sha, trigger, inputs, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      row.operation_id,
      row.project_id,
      row.workflow,
      row.ref,
      row.sha,
      row.trigger,
      JSON.stringify(row.inputs),
      row.created_at,
    ],
  );
}

export async function findRuns(db: Queryable, operationIds: string[]): Promise<Map<string, RunRow>> {
  if (!operationIds.length) return new Map();
  const { rows } = await db.query<RunRow>(
    'SELECT * FROM workflow_runs WHERE operation_id = ANY($1::uuid[])',
    [operationIds],
  );
  return new Map(rows.map((r) => [r.operation_id, r]));
}
