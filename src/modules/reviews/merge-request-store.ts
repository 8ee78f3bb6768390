import type { Queryable } from '../../platform/db/pool.ts';

/** A merge request as stored; `MergeRequestRow` adds the user names (with-usernames.ts). */
export interface MergeRequestRecord {
  id: string;
  project_id: string;
  number: number;
  title: string;
  description: string;
  source_branch: string;
  target_branch: string;
  state: 'open' | 'merged' | 'closed';
  head_sha: string;
  merge_commit_sha: string | null;
  author_id: string | null;
  merged_by: string | null;
  created_at: Date;
  updated_at: Date;
  merged_at: Date | null;
  closed_at: Date | null;
}

export interface MergeRequestRow extends MergeRequestRecord {
  author_name: string | null;
  merged_by_name: string | null;
}

export async function insertMergeRequest(
  db: Queryable,
  m: {
    projectId: string;
    number: number;
    title: string;
    description: string;
    source: string;
    target: string;
    headSha: string;
    authorId: string | null;
  },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO merge_requests (project_id, number, title, description, source_branch, target_branch, head_sha, author_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [m.projectId, m.number, m.title, m.description, m.source, m.target, m.headSha, m.authorId],
  );
  return rows[0]!.id;
}

/** Open merge requests per project (projects without any are absent). */
export async function countOpenMergeRequests(
  db: Queryable,
  projectIds: string[],
): Promise<Map<string, number>> {
  const { rows } = await db.query<{ project_id: string; n: number }>(
    `SELECT project_id, count(*)::int AS n FROM merge_requests
     WHERE project_id = ANY($1::uuid[]) AND state = 'open' GROUP BY project_id`,
    [projectIds],
  );
  return new Map(rows.map((r) => [r.project_id, r.n]));
}

export async function findMergeRequestRecord(
  db: Queryable,
  projectId: string,
  number: number,
): Promise<MergeRequestRecord | undefined> {
  const { rows } = await db.query<MergeRequestRecord>(
    'SELECT * FROM merge_requests WHERE project_id = $1 AND number = $2',
    [projectId, number],
  );
  return rows[0];
}

export async function listMergeRequestRecords(
  db: Queryable,
  q: { projectId: string; state: string; limit: number; before?: number },
): Promise<MergeRequestRecord[]> {
  const { rows } = await db.query<MergeRequestRecord>(
    `SELECT * FROM merge_requests WHERE project_id = $1 AND ($2 = 'all' OR state = $2) AND ($4::int IS NULL OR number < $4)
     ORDER BY number DESC LIMIT $3`,
    [q.projectId, q.state, q.limit, q.before ?? null],
  );
  return rows;
}

/** Open merge requests whose source (or target) is `branch`. */
export async function openMergeRequestRecordsOn(
  db: Queryable,
  projectId: string,
  side: 'source' | 'target',
  branch: string,
): Promise<MergeRequestRecord[]> {
  const column = side === 'source' ? 'source_branch' : 'target_branch';
  const { rows } = await db.query<MergeRequestRecord>(
    `SELECT * FROM merge_requests WHERE project_id = $1 AND ${column} = $2 AND state = 'open'`,
    [projectId, branch],
  );
  return rows;
}

export async function updateMergeRequest(
  db: Queryable,
  id: string,
  p: {
    title?: string;
    description?: string;
    state?: 'open' | 'closed' | 'merged';
    headSha?: string;
    mergeCommitSha?: string;
    mergedBy?: string | null;
  },
) {
  await db.query(
    `UPDATE merge_requests SET title = COALESCE($2, title), description = COALESCE($3, description),
       state = COALESCE($4, state), head_sha = COALESCE($5, head_sha), merge_commit_sha = COALESCE($6, merge_commit_sha),
       merged_by = CASE WHEN $4 = 'merged' THEN $7::uuid ELSE merged_by END,
       merged_at = CASE WHEN $4 = 'merged' THEN now() ELSE merged_at END,
       closed_at = CASE WHEN $4 = 'closed' THEN now() WHEN $4 = 'open' THEN NULL ELSE closed_at END,
       updated_at = now()
     WHERE id = $1`,
    [
      id,
      p.title ?? null,
      p.description ?? null,
      p.state ?? null,
      p.headSha ?? null,
      p.mergeCommitSha ?? null,
      p.mergedBy ?? null,
    ],
  );
}

/** The state of each of a project's merge requests named by number (absent when there is none). */
export async function mergeRequestStates(
  db: Queryable,
  projectId: string,
  numbers: readonly number[],
): Promise<Map<number, MergeRequestRecord['state']>> {
  if (!numbers.length) return new Map();
  const { rows } = await db.query<Pick<MergeRequestRecord, 'number' | 'state'>>(
    'SELECT number, state FROM merge_requests WHERE project_id = $1 AND number = ANY($2::int[])',
    [projectId, [...new Set(numbers)]],
  );
  return new Map(rows.map((r) => [r.number, r.state]));
}

/** The commit a merged merge request put on its target branch (undefined while it is not merged). */
export async function mergeCommitOf(
  db: Queryable,
  projectId: string,
  number: number,
): Promise<string | undefined> {
  const { rows } = await db.query<{ merge_commit_sha: string | null }>(
    `SELECT merge_commit_sha FROM merge_requests WHERE project_id = $1 AND number = $2 AND state = 'merged'`,
    [projectId, number],
  );
  return rows[0]?.merge_commit_sha ?? undefined;
}
