import type { Queryable } from '../../../platform/db/pool.ts';
import type { AppSettings } from '../app-settings.ts';

export type ReleaseStatus = 'preparing' | 'ready' | 'failed' | 'pruned';

export interface ReleaseRow {
  id: string;
  project_id: string;
  sha: string;
  branch: string | null;
  path: string;
  status: ReleaseStatus;
  settings: AppSettings | null;
  error: string | null;
  verified: boolean;
  verification_operation_id: string | null;
  verified_at: Date | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export async function findRelease(db: Queryable, id: string): Promise<ReleaseRow | undefined> {
  const { rows } = await db.query<ReleaseRow>('SELECT * FROM releases WHERE id = $1', [id]);
  return rows[0];
}

export async function findReleasesByIds(db: Queryable, ids: string[]): Promise<ReleaseRow[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<ReleaseRow>('SELECT * FROM releases WHERE id = ANY($1::uuid[])', [ids]);
  return rows;
}

export async function findReleaseBySha(db: Queryable, projectId: string, sha: string) {
  const { rows } = await db.query<ReleaseRow>('SELECT * FROM releases WHERE project_id = $1 AND sha = $2', [
    projectId,
    sha,
  ]);
  return rows[0];
}

/** Releases of a project whose id is `ref` or whose sha starts with `ref` (for `release?` in the API). */
export async function findReleasesByRef(
  db: Queryable,
  projectId: string,
  ref: string,
): Promise<ReleaseRow[]> {
  const { rows } = await db.query<ReleaseRow>(
    `SELECT * FROM releases WHERE project_id = $1
       AND (id::text = $2 OR ($3 AND sha LIKE $2 || '%'))
     ORDER BY created_at DESC LIMIT 2`,
    [projectId, ref, /^[0-9a-f]{4,64}$/.test(ref)],
  );
  return rows;
}

/** The branch a release is of: `main` once a branch's commit is released from it. */
export async function setReleaseBranch(db: Queryable, id: string, branch: string, now: Date) {
  const { rows } = await db.query<ReleaseRow>(
    'UPDATE releases SET branch = $2, updated_at = $3 WHERE id = $1 RETURNING *',
    [id, branch, now],
  );
  return rows[0];
}

/** Creates the row in `preparing`, or resets a failed/pruned one so it is prepared again. */
export async function upsertPreparingRelease(
  db: Queryable,
  r: {
    id: string;
    projectId: string;
    sha: string;
    branch: string | null;
    path: string;
    createdBy: string;
    now: Date;
  },
): Promise<ReleaseRow> {
  const { rows } = await db.query<ReleaseRow>(
    `INSERT INTO releases (id, project_id, sha, branch, path, status, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, 'preparing', $6, $7, $7)
     ON CONFLICT (project_id, sha) DO UPDATE SET status = 'preparing', error = NULL,
       branch = CASE WHEN EXCLUDED.branch = 'main' THEN 'main' ELSE COALESCE(releases.branch, EXCLUDED.branch) END,
       updated_at = EXCLUDED.updated_at
     RETURNING *`,
    [r.id, r.projectId, r.sha, r.branch, r.path, r.createdBy, r.now],
  );
  return rows[0]!;
}

export async function finishRelease(
  db: Queryable,
  id: string,
  r: { status: 'ready' | 'failed'; settings?: AppSettings; error?: string; now: Date },
): Promise<ReleaseRow> {
  const { rows } = await db.query<ReleaseRow>(
    `UPDATE releases SET status = $2, settings = COALESCE($3, settings), error = $4, updated_at = $5
     WHERE id = $1 RETURNING *`,
    [id, r.status, r.settings ? JSON.stringify(r.settings) : null, r.error ?? null, r.now],
  );
  return rows[0]!;
}

export async function listReleaseRows(db: Queryable, projectId: string, limit = 100): Promise<ReleaseRow[]> {
  const { rows } = await db.query<ReleaseRow>(
    'SELECT * FROM releases WHERE project_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2',
    [projectId, limit],
  );
  return rows;
}

/**
 * Ready releases beyond the newest `keep`, excluding any an environment runs or is about to run
 * (and any a pending deployment names): these may be pruned.
 */
export async function prunableReleases(
  db: Queryable,
  projectId: string,
  keep: number,
): Promise<ReleaseRow[]> {
  const { rows } = await db.query<ReleaseRow>(
    `SELECT r.* FROM releases r
     WHERE r.project_id = $1 AND r.status IN ('ready', 'failed')
       AND r.id NOT IN (
         SELECT id FROM releases WHERE project_id = $1 AND status IN ('ready', 'preparing')
         ORDER BY created_at DESC, id DESC LIMIT $2)
       AND NOT EXISTS (SELECT 1 FROM environments e WHERE e.current_release_id = r.id OR e.desired_release_id = r.id)
       AND NOT EXISTS (SELECT 1 FROM deployments d WHERE d.release_id = r.id AND d.status = 'pending')`,
    [projectId, keep],
  );
  return rows;
}

export async function markReleasePruned(db: Queryable, id: string, now: Date) {
  await db.query(`UPDATE releases SET status = 'pruned', updated_at = $2 WHERE id = $1`, [id, now]);
}

export async function setReleaseVerified(
  db: Queryable,
  id: string,
  v: { passed: boolean; operationId: string | null; now: Date },
): Promise<ReleaseRow | undefined> {
  const { rows } = await db.query<ReleaseRow>(
    `UPDATE releases SET verified = $2, verification_operation_id = $3,
       verified_at = CASE WHEN $2 THEN $4::timestamptz ELSE NULL END, updated_at = $4
     WHERE id = $1 RETURNING *`,
    [id, v.passed, v.operationId, v.now],
  );
  return rows[0];
}

/**
 * Releases record their folder's absolute path; a home restored (or moved) to another place points
 * them at `<to>/releases/…` instead of `<from>/releases/…`. Runs in the caller's transaction.
 */
export async function moveReleaseHome(tx: Queryable, from: string, to: string): Promise<number> {
  if (from === to) return 0;
  const { rowCount } = await tx.query(
    `UPDATE releases SET path = $2 || substr(path, length($1) + 1)
      WHERE starts_with(path, $1)`,
    [`${from.replace(/\/+$/, '')}/`, `${to.replace(/\/+$/, '')}/`],
  );
  return rowCount ?? 0;
}
