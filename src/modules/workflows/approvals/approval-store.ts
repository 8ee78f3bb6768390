import type { Queryable } from '../../../platform/db/pool.ts';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';
export type ApproverRole = 'developer' | 'maintainer' | 'owner';

/** An approval step's request and its decision (table `workflow_approvals`). */
export interface ApprovalRow {
  id: string;
  project_id: string;
  operation_id: string;
  step_key: string;
  workflow: string;
  title: string;
  description: string;
  role: ApproverRole;
  status: ApprovalStatus;
  deadline: Date | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  comment: string;
  spent: boolean;
  created_at: Date;
}

/** The step's request that still counts: pending, or decided and not yet reported as a failure. */
export async function findOpenApproval(db: Queryable, operationId: string, stepKey: string) {
  const { rows } = await db.query<ApprovalRow>(
    'SELECT * FROM workflow_approvals WHERE operation_id = $1 AND step_key = $2 AND NOT spent',
    [operationId, stepKey],
  );
  return rows[0];
}

/** Asks for a decision; the one open request of the step when it asked already. */
export async function requestApproval(
  db: Queryable,
  row: Pick<
    ApprovalRow,
    | 'project_id'
    | 'operation_id'
    | 'step_key'
    | 'workflow'
    | 'title'
    | 'description'
    | 'role'
    | 'deadline'
    | 'created_at'
  >,
): Promise<{ approval: ApprovalRow; created: boolean }> {
  const { rows } = await db.query<ApprovalRow>(
    `INSERT INTO workflow_approvals (project_id, operation_id, step_key, workflow, title, description, role,
                                     status, deadline, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9)
     ON CONFLICT (operation_id, step_key) WHERE NOT spent DO NOTHING RETURNING *`,
    [
      row.project_id,
      row.operation_id,
      row.step_key,
      row.workflow,
      row.title,
      row.description,
      row.role,
      row.deadline,
      row.created_at,
    ],
  );
  if (rows[0]) return { approval: rows[0], created: true };
  return { approval: (await findOpenApproval(db, row.operation_id, row.step_key))!, created: false };
}

/** Whether the request has been decided (what a parking approval step checks under the stream lock). */
export async function isDecided(db: Queryable, id: string): Promise<boolean> {
  const { rows } = await db.query<{ status: ApprovalStatus }>(
    'SELECT status FROM workflow_approvals WHERE id = $1',
    [id],
  );
  return rows[0]?.status !== 'pending';
}

/** One approval of a project, locked for a decision. */
export async function findApprovalForUpdate(db: Queryable, projectId: string, id: string) {
  const { rows } = await db.query<ApprovalRow>(
    'SELECT * FROM workflow_approvals WHERE id = $1 AND project_id = $2 FOR UPDATE',
    [id, projectId],
  );
  return rows[0];
}

export async function recordDecision(
  db: Queryable,
  id: string,
  decision: { status: 'approved' | 'rejected'; by: string; byName: string; at: Date; comment: string },
): Promise<ApprovalRow> {
  const { rows } = await db.query<ApprovalRow>(
    `UPDATE workflow_approvals SET status = $2, decided_by = $3, decided_by_name = $4, decided_at = $5, comment = $6
     WHERE id = $1 AND status = 'pending' RETURNING *`,
    [id, decision.status, decision.by, decision.byName, decision.at, decision.comment],
  );
  return rows[0]!;
}

/** A pending request whose deadline passed: expired, and spent (the step fails with it). */
export async function expireApproval(db: Queryable, id: string, at: Date) {
  await db.query(
    `UPDATE workflow_approvals SET status = 'expired', decided_at = $2, spent = true WHERE id = $1 AND status = 'pending'`,
    [id, at],
  );
}

/** The step failed with this decision (a rejection): a retry of the run asks again. */
export async function spendApproval(db: Queryable, id: string) {
  await db.query('UPDATE workflow_approvals SET spent = true WHERE id = $1', [id]);
}

/** The run ended: its pending requests can no longer be decided. */
export async function cancelPendingApprovals(db: Queryable, operationId: string, at: Date) {
  await db.query(
    `UPDATE workflow_approvals SET status = 'cancelled', decided_at = $2, spent = true
     WHERE operation_id = $1 AND status = 'pending'`,
    [operationId, at],
  );
}

export async function listApprovalRows(
  db: Queryable,
  f: { projectId: string; status?: ApprovalStatus; operationId?: string; limit: number },
): Promise<ApprovalRow[]> {
  const { rows } = await db.query<ApprovalRow>(
    `SELECT * FROM workflow_approvals
     WHERE project_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR operation_id = $3)
     ORDER BY created_at DESC, id DESC LIMIT $4`,
    [f.projectId, f.status ?? null, f.operationId ?? null, f.limit],
  );
  return rows;
}
