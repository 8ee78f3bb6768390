import type { Queryable } from '../../../platform/db/pool.ts';

export interface BranchProtectionRow {
  project_id: string;
  branch: string;
  required_checks: string[];
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

export async function upsertBranchProtection(
  db: Queryable,
  p: { projectId: string; branch: string; requiredChecks: string[]; updatedBy: string | null },
): Promise<BranchProtectionRow> {
  const { rows } = await db.query<BranchProtectionRow>(
    `INSERT INTO branch_protections (project_id, branch, required_checks, updated_by, updated_at)
     VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (project_id, branch) DO UPDATE SET required_checks = EXCLUDED.required_checks,
       updated_by = EXCLUDED.updated_by, updated_at = now()
     RETURNING *`,
    [p.projectId, p.branch, p.requiredChecks, p.updatedBy],
  );
  return rows[0]!;
}
