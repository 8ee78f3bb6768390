import type { Queryable } from '../../../platform/db/pool.ts';

export interface BranchProtectionRow {
  project_id: string;
  branch: string;
  required_checks: string[];
  required_approvals: number;
  dismiss_stale_approvals: boolean;
  updated_by: string | null;
  updated_at: Date;
}

export async function findBranchProtection(
  db: Queryable,
  projectId: string,
  branch: string,
): Promise<BranchProtectionRow | undefined> {
  const { rows } = await db.query<BranchProtectionRow>(
    'SELECT * FROM branch_protections WHERE project_id = $1 AND branch = $2',
    [projectId, branch],
  );
  return rows[0];
}

/** Sets a branch's rule; a field passed as undefined keeps its current value (or the default). */
export async function upsertBranchProtection(
  db: Queryable,
  p: {
    projectId: string;
    branch: string;
    requiredChecks?: string[];
    requiredApprovals?: number;
    dismissStaleApprovals?: boolean;
    updatedBy: string | null;
  },
): Promise<BranchProtectionRow> {
  const { rows } = await db.query<BranchProtectionRow>(
    `INSERT INTO branch_protections (project_id, branch, required_checks, required_approvals,
       dismiss_stale_approvals, updated_by, updated_at)
     VALUES ($1, $2, COALESCE($3::text[], '{}'), COALESCE($4::int, 0), COALESCE($5::boolean, true), $6, now())
     ON CONFLICT (project_id, branch) DO UPDATE SET
       required_checks = COALESCE($3::text[], branch_protections.required_checks),
       required_approvals = COALESCE($4::int, branch_protections.required_approvals),
       dismiss_stale_approvals = COALESCE($5::boolean, branch_protections.dismiss_stale_approvals),
       updated_by = EXCLUDED.updated_by, updated_at = now()
     RETURNING *`,
    [
      p.projectId,
      p.branch,
      p.requiredChecks ?? null,
      p.requiredApprovals ?? null,
      p.dismissStaleApprovals ?? null,
      p.updatedBy,
    ],
  );
  return rows[0]!;
}
