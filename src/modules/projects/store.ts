import type { Queryable } from '../../platform/db/pool.ts';
import type { ProjectRole } from './schemas.ts';

export interface ProjectRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  archived_at: Date | null;
  /** The project's own number among sandbox users (uid = sandbox.uidBase + this). */
  sandbox_uid: number;
  /** Its jobs and apps share the host's network (set by instance admins only). */
  host_network: boolean;
  /** Builds wait for a review before they reach main (else the first build merges by itself). */
  review_first: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export async function insertProject(
  db: Queryable,
  p: { slug: string; name: string; description: string; createdBy: string | null },
): Promise<ProjectRow> {
  const { rows } = await db.query<ProjectRow>(
    'INSERT INTO projects (slug, name, description, created_by) VALUES ($1, $2, $3, $4) RETURNING *',
    [p.slug, p.name, p.description, p.createdBy],
  );
  return rows[0]!;
}

export async function slugsLike(db: Queryable, base: string): Promise<Set<string>> {
  const { rows } = await db.query<{ slug: string }>(
    `SELECT slug FROM projects WHERE slug = $1 OR slug ~ ('^' || $1 || '-[0-9]+$')`,
    [base],
  );
  return new Set(rows.map((r) => r.slug));
}

export async function findProjectBySlug(db: Queryable, slug: string): Promise<ProjectRow | undefined> {
  const { rows } = await db.query<ProjectRow>('SELECT * FROM projects WHERE slug = $1', [slug]);
  return rows[0];
}

export async function findProjectById(db: Queryable, id: string): Promise<ProjectRow | undefined> {
  const { rows } = await db.query<ProjectRow>('SELECT * FROM projects WHERE id = $1', [id]);
  return rows[0];
}

export async function listProjectsByIds(db: Queryable, ids: string[]): Promise<ProjectRow[]> {
  const { rows } = await db.query<ProjectRow>('SELECT * FROM projects WHERE id = ANY($1::uuid[])', [ids]);
  return rows;
}

export async function listProjectIdsOf(db: Queryable, userId: string): Promise<string[]> {
  const { rows } = await db.query<{ project_id: string }>(
    'SELECT project_id FROM project_members WHERE user_id = $1',
    [userId],
  );
  return rows.map((r) => r.project_id);
}

export async function listProjectsFor(
  db: Queryable,
  q: {
    userId: string;
    all: boolean;
    /** Only this project (an agent token's). */
    onlyProjectId?: string;
    archived: boolean;
    search?: string;
    /** null: every project that matches (LIMIT NULL is no limit). */
    limit: number | null;
    after?: [string, string];
  },
): Promise<Array<ProjectRow & { member_role: ProjectRole | null }>> {
  const { rows } = await db.query(
    `SELECT p.*, m.role AS member_role FROM projects p
     LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $1
     WHERE ($2 OR m.user_id IS NOT NULL)
       AND (p.archived_at IS NOT NULL) = $3
       AND ($4::text IS NULL OR p.name ILIKE '%' || $4 || '%' OR p.slug ILIKE '%' || $4 || '%')
       AND ($6::timestamptz IS NULL OR (p.created_at, p.id) < ($6::timestamptz, $7::uuid))
       AND ($8::uuid IS NULL OR p.id = $8)
     ORDER BY p.created_at DESC, p.id DESC LIMIT $5`,
    [
      q.userId,
      q.all,
      q.archived,
      q.search ?? null,
      q.limit,
      q.after?.[0] ?? null,
      q.after?.[1] ?? null,
      q.onlyProjectId ?? null,
    ],
  );
  return rows;
}

export async function updateProject(
  db: Queryable,
  id: string,
  patch: {
    name?: string;
    description?: string;
    archivedAt?: Date | null;
    hostNetwork?: boolean;
    reviewFirst?: boolean;
  },
): Promise<ProjectRow> {
  const { rows } = await db.query<ProjectRow>(
    `UPDATE projects SET name = COALESCE($2, name), description = COALESCE($3, description),
       archived_at = CASE WHEN $4 THEN $5::timestamptz ELSE archived_at END,
       host_network = COALESCE($6, host_network),
       review_first = COALESCE($7, review_first), updated_at = now()
     WHERE id = $1 RETURNING *`,
    [
      id,
      patch.name ?? null,
      patch.description ?? null,
      patch.archivedAt !== undefined,
      patch.archivedAt ?? null,
      patch.hostNetwork ?? null,
      patch.reviewFirst ?? null,
    ],
  );
  return rows[0]!;
}

export async function findMemberRole(
  db: Queryable,
  projectId: string,
  userId: string,
): Promise<ProjectRole | undefined> {
  const { rows } = await db.query<{ role: ProjectRole }>(
    'SELECT role FROM project_members WHERE project_id = $1 AND user_id = $2',
    [projectId, userId],
  );
  return rows[0]?.role;
}

export async function upsertMember(db: Queryable, projectId: string, userId: string, role: ProjectRole) {
  await db.query(
    `INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
    [projectId, userId, role],
  );
}

/** Adds a member unless the user is one already (whatever their role); true when added. */
export async function insertMemberIfAbsent(
  db: Queryable,
  projectId: string,
  userId: string,
  role: ProjectRole,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (project_id, user_id) DO NOTHING`,
    [projectId, userId, role],
  );
  return (rowCount ?? 0) > 0;
}

export async function deleteMember(db: Queryable, projectId: string, userId: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM project_members WHERE project_id = $1 AND user_id = $2', [
    projectId,
    userId,
  ]);
  return (rowCount ?? 0) > 0;
}

/** Members in the order they were added; `added_rank` is equal for members added at the same instant. */
export async function listMemberRows(db: Queryable, projectId: string) {
  const { rows } = await db.query<{
    user_id: string;
    role: ProjectRole;
    created_at: Date;
    added_rank: number;
  }>(
    `SELECT user_id, role, created_at, dense_rank() OVER (ORDER BY created_at)::int AS added_rank
     FROM project_members WHERE project_id = $1 ORDER BY created_at`,
    [projectId],
  );
  return rows;
}

export async function countOwners(db: Queryable, projectId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM project_members WHERE project_id = $1 AND role = 'owner'`,
    [projectId],
  );
  return rows[0]?.n ?? 0;
}

/** The highest role a user holds in any project (undefined when a member of none). */
export async function highestMemberRole(db: Queryable, userId: string): Promise<ProjectRole | undefined> {
  const { rows } = await db.query<{ role: ProjectRole }>(
    `SELECT role FROM project_members WHERE user_id = $1
     ORDER BY array_position(ARRAY['viewer', 'developer', 'maintainer', 'owner'], role) DESC LIMIT 1`,
    [userId],
  );
  return rows[0]?.role;
}
