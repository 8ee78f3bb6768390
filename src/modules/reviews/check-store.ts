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
}

export interface CommitCheck {
  projectId: string;
  sha: string;
  /** `pipeline`, later `browser`. */
  name: string;
  status: CheckStatus;
  summary?: string;
  targetUrl?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Records a check on a commit (pipelines call this as they run). Merge requests show the checks of
 * their head commit, so pushing a new head resets what they show.
 */
export async function reportCheck(db: Queryable, c: CommitCheck): Promise<void> {
  await db.query(
    `INSERT INTO commit_checks (project_id, sha, name, status, summary, target_url, details, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (project_id, sha, name) DO UPDATE SET status = EXCLUDED.status, summary = EXCLUDED.summary,
       target_url = EXCLUDED.target_url, details = EXCLUDED.details, updated_at = now()`,
    [
      c.projectId,
      c.sha,
      c.name,
      c.status,
      c.summary ?? '',
      c.targetUrl ?? null,
      JSON.stringify(c.details ?? {}),
    ],
  );
}

export async function checksFor(db: Queryable, projectId: string, shas: string[]): Promise<CheckRow[]> {
  if (!shas.length) return [];
  const { rows } = await db.query<CheckRow>(
    'SELECT * FROM commit_checks WHERE project_id = $1 AND sha = ANY($2) ORDER BY name',
    [projectId, shas],
  );
  return rows;
}
