import type { Queryable } from '../../platform/db/pool.ts';
import type { CheckStatus } from './schemas.ts';

export interface CheckRow {
  sha: string;
  name: string;
  status: CheckStatus;
  summary: string;
  target_url: string | null;
  details: Record<string, unknown>;
  updated_at: Date;
  /** When this run of the check began: its first report, or its first after a final status. */
  started_at: Date;
  /** When it reached its final status (success, failure, cancelled, error); null while it runs. */
  completed_at: Date | null;
}

/** Statuses a check ends in. */
export const FINAL_CHECK_STATUSES: readonly CheckStatus[] = ['success', 'failure', 'cancelled', 'error'];

const FINAL = `('success', 'failure', 'cancelled', 'error')`;

/**
 * Writes a check of a commit (one row per project, commit and name) and says what it was before:
 * null when this is its first report. A report that starts the check again after it ended (a
 * rerun) begins a new run; one with a final status completes it.
 */
export async function upsertCheck(
  db: Queryable,
  c: {
    projectId: string;
    sha: string;
    name: string;
    status: CheckStatus;
    summary: string;
    targetUrl: string | null;
    details: Record<string, unknown>;
  },
): Promise<CheckRow & { previous_status: CheckStatus | null }> {
  const { rows } = await db.query<CheckRow & { previous_status: CheckStatus | null }>(
    `WITH prev AS (SELECT status FROM commit_checks WHERE project_id = $1 AND sha = $2 AND name = $3)
     INSERT INTO commit_checks AS c (project_id, sha, name, status, summary, target_url, details, updated_at,
       started_at, completed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now(), CASE WHEN $4::text IN ${FINAL} THEN now() END)
     ON CONFLICT (project_id, sha, name) DO UPDATE SET status = EXCLUDED.status, summary = EXCLUDED.summary,
       target_url = EXCLUDED.target_url, details = EXCLUDED.details, updated_at = now(),
       started_at = CASE WHEN c.status IN ${FINAL} AND EXCLUDED.status NOT IN ${FINAL} THEN now()
                         ELSE c.started_at END,
       completed_at = EXCLUDED.completed_at
     RETURNING c.sha, c.name, c.status, c.summary, c.target_url, c.details, c.updated_at, c.started_at,
       c.completed_at, (SELECT status FROM prev) AS previous_status`,
    [c.projectId, c.sha, c.name, c.status, c.summary, c.targetUrl, JSON.stringify(c.details)],
  );
  return rows[0]!;
}

export async function checksFor(db: Queryable, projectId: string, shas: string[]): Promise<CheckRow[]> {
  if (!shas.length) return [];
  const { rows } = await db.query<CheckRow>(
    'SELECT * FROM commit_checks WHERE project_id = $1 AND sha = ANY($2) ORDER BY name',
    [projectId, shas],
  );
  return rows;
}
