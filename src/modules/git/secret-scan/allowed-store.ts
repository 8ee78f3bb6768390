import type { Queryable } from '../../../platform/db/pool.ts';

export interface AllowedFindingRow {
  project_id: string;
  fingerprint: string;
  reason: string;
  allowed_by: string | null;
  allowed_at: Date;
}

/** Inserts the allowance; undefined when the fingerprint was already allowed. */
export async function insertAllowedFinding(
  db: Queryable,
  a: { projectId: string; fingerprint: string; reason: string; allowedBy: string | null },
): Promise<AllowedFindingRow | undefined> {
  const { rows } = await db.query<AllowedFindingRow>(
    `INSERT INTO secret_scan_allowed (project_id, fingerprint, reason, allowed_by)
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING *`,
    [a.projectId, a.fingerprint, a.reason, a.allowedBy],
  );
  return rows[0];
}

export async function deleteAllowedFinding(
  db: Queryable,
  projectId: string,
  fingerprint: string,
): Promise<AllowedFindingRow | undefined> {
  const { rows } = await db.query<AllowedFindingRow>(
    'DELETE FROM secret_scan_allowed WHERE project_id = $1 AND fingerprint = $2 RETURNING *',
    [projectId, fingerprint],
  );
  return rows[0];
}

/** The project's allowances, newest first. */
export async function listAllowedFindingRows(db: Queryable, projectId: string): Promise<AllowedFindingRow[]> {
  const { rows } = await db.query<AllowedFindingRow>(
    'SELECT * FROM secret_scan_allowed WHERE project_id = $1 ORDER BY allowed_at DESC, fingerprint',
    [projectId],
  );
  return rows;
}

/** Only the fingerprints: what the pre-receive hook is given on every push. */
export async function listAllowedFingerprints(db: Queryable, projectId: string): Promise<string[]> {
  const { rows } = await db.query<{ fingerprint: string }>(
    'SELECT fingerprint FROM secret_scan_allowed WHERE project_id = $1',
    [projectId],
  );
  return rows.map((r) => r.fingerprint);
}
