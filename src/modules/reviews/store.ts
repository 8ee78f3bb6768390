import type { Queryable } from '../../platform/db/pool.ts';

/** The next issue or merge-request number of a project (gap-free, race-free: one row lock). */
export async function nextNumber(
  db: Queryable,
  projectId: string,
  kind: 'issue' | 'merge_request',
): Promise<number> {
  const { rows } = await db.query<{ last: number }>(
    `INSERT INTO review_counters (project_id, kind, last) VALUES ($1, $2, 1)
     ON CONFLICT (project_id, kind) DO UPDATE SET last = review_counters.last + 1 RETURNING last`,
    [projectId, kind],
  );
  return rows[0]!.last;
}

/** An issue as stored; `IssueRow` adds the user names (with-usernames.ts). */
export interface IssueRecord {
  id: string;
  project_id: string;
  number: number;
  title: string;
  body: string;
  labels: string[];
  assignee_id: string | null;
  state: 'open' | 'closed';
  author_id: string | null;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

export interface IssueRow extends IssueRecord {
  assignee_name: string | null;
  author_name: string | null;
}

export async function insertIssue(
  db: Queryable,
  i: {
    projectId: string;
    number: number;
    title: string;
    body: string;
    labels: string[];
    assigneeId: string | null;
    authorId: string | null;
  },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO issues (project_id, number, title, body, labels, assignee_id, author_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [i.projectId, i.number, i.title, i.body, i.labels, i.assigneeId, i.authorId],
  );
  return rows[0]!.id;
}

export async function findIssueRecord(
  db: Queryable,
  projectId: string,
  number: number,
): Promise<IssueRecord | undefined> {
  const { rows } = await db.query<IssueRecord>('SELECT * FROM issues WHERE project_id = $1 AND number = $2', [
    projectId,
    number,
  ]);
  return rows[0];
}

export async function listIssueRecords(
  db: Queryable,
  q: { projectId: string; state: string; label?: string; limit: number; before?: number },
): Promise<IssueRecord[]> {
  const { rows } = await db.query<IssueRecord>(
    `SELECT * FROM issues WHERE project_id = $1 AND ($2 = 'all' OR state = $2)
       AND ($3::text IS NULL OR $3 = ANY(labels)) AND ($5::int IS NULL OR number < $5)
     ORDER BY number DESC LIMIT $4`,
    [q.projectId, q.state, q.label ?? null, q.limit, q.before ?? null],
  );
  return rows;
}

/** Open issues per project (projects without any are absent). */
export async function countOpenIssues(db: Queryable, projectIds: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ project_id: string; n: number }>(
    `SELECT project_id, count(*)::int AS n FROM issues
     WHERE project_id = ANY($1::uuid[]) AND state = 'open' GROUP BY project_id`,
    [projectIds],
  );
  return new Map(rows.map((r) => [r.project_id, r.n]));
}

export async function updateIssue(
  db: Queryable,
  id: string,
  p: {
    title?: string;
    body?: string;
    labels?: string[];
    assigneeId?: string | null;
    state?: 'open' | 'closed';
  },
) {
  await db.query(
    `UPDATE issues SET title = COALESCE($2, title), body = COALESCE($3, body), labels = COALESCE($4, labels),
       assignee_id = CASE WHEN $5 THEN $6::uuid ELSE assignee_id END,
       state = COALESCE($7, state),
       closed_at = CASE WHEN $7 = 'closed' AND state <> 'closed' THEN now() WHEN $7 = 'open' THEN NULL ELSE closed_at END,
       updated_at = now()
     WHERE id = $1`,
    [
      id,
      p.title ?? null,
      p.body ?? null,
      p.labels ?? null,
      p.assigneeId !== undefined,
      p.assigneeId ?? null,
      p.state ?? null,
    ],
  );
}

/** Closes an issue unless it is closed already; its id when this call closed it. */
export async function closeIssueIfOpen(
  db: Queryable,
  projectId: string,
  number: number,
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE issues SET state = 'closed', closed_at = now(), updated_at = now()
     WHERE project_id = $1 AND number = $2 AND state = 'open' RETURNING id`,
    [projectId, number],
  );
  return rows[0]?.id;
}

/** A comment as stored; `CommentRow` has its author's name instead of the id (with-usernames.ts). */
export interface CommentRecord {
  id: string;
  author_id: string | null;
  body: string;
  created_at: Date;
}

export interface CommentRow {
  id: string;
  author_name: string | null;
  body: string;
  created_at: Date;
}

export async function insertComment(
  db: Queryable,
  c: { projectId: string; issueId?: string; mergeRequestId?: string; authorId: string | null; body: string },
): Promise<CommentRecord> {
  const { rows } = await db.query<CommentRecord>(
    `INSERT INTO review_comments (project_id, issue_id, merge_request_id, author_id, body)
     VALUES ($1, $2, $3, $4, $5) RETURNING id, author_id, body, created_at`,
    [c.projectId, c.issueId ?? null, c.mergeRequestId ?? null, c.authorId, c.body],
  );
  return rows[0]!;
}

export async function listCommentRecords(
  db: Queryable,
  target: { issueId?: string; mergeRequestId?: string },
): Promise<CommentRecord[]> {
  const { rows } = await db.query<CommentRecord>(
    `SELECT id, author_id, body, created_at FROM review_comments
     WHERE ($1::uuid IS NOT NULL AND issue_id = $1) OR ($2::uuid IS NOT NULL AND merge_request_id = $2)
     ORDER BY created_at, id`,
    [target.issueId ?? null, target.mergeRequestId ?? null],
  );
  return rows;
}
