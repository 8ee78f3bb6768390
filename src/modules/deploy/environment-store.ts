import type { Queryable } from '../../platform/db/pool.ts';
import { findProjects } from '../projects/index.ts';
import type { EnvKind } from './env-name.ts';

export type EnvStatus =
  | 'pending'
  | 'starting'
  | 'deploying'
  | 'running'
  | 'sleeping'
  | 'crashed'
  | 'failed'
  | 'stopped';

export interface EnvironmentRow {
  id: string;
  project_id: string;
  name: string;
  kind: EnvKind;
  branch: string | null;
  host_label: string;
  desired_state: 'running' | 'stopped';
  desired_release_id: string | null;
  current_release_id: string | null;
  status: EnvStatus;
  port: number | null;
  pinned: boolean;
  access: 'private' | 'public';
  expires_at: Date | null;
  last_error: string | null;
  generation: number;
  observed_generation: number;
  deployed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** An environment with its project's slug and sandbox settings (the supervisor and the proxy need them). */
export type EnvironmentWithSlug = EnvironmentRow & {
  slug: string;
  sandbox_uid: number;
  host_network: boolean;
};

const ENVIRONMENTS = 'SELECT e.* FROM environments e';

/**
 * Adds each environment's project slug and sandbox settings, asked of the projects module (an
 * environment whose project is gone is left out, as a join would).
 */
async function withProjects(db: Queryable, rows: EnvironmentRow[]): Promise<EnvironmentWithSlug[]> {
  const projects = await findProjects(
    db,
    rows.map((r) => r.project_id),
  );
  return rows.flatMap((row) => {
    const project = projects.get(row.project_id);
    return project
      ? [{ ...row, slug: project.slug, sandbox_uid: project.sandbox_uid, host_network: project.host_network }]
      : [];
  });
}

export async function findEnvironment(db: Queryable, id: string): Promise<EnvironmentWithSlug | undefined> {
  const { rows } = await db.query<EnvironmentRow>(`${ENVIRONMENTS} WHERE e.id = $1`, [id]);
  return (await withProjects(db, rows))[0];
}

export async function findEnvironmentByName(db: Queryable, projectId: string, name: string) {
  const { rows } = await db.query<EnvironmentRow>(`${ENVIRONMENTS} WHERE e.project_id = $1 AND e.name = $2`, [
    projectId,
    name,
  ]);
  return (await withProjects(db, rows))[0];
}

export async function findEnvironmentByLabel(db: Queryable, label: string) {
  const { rows } = await db.query<EnvironmentRow>(`${ENVIRONMENTS} WHERE e.host_label = $1`, [label]);
  return (await withProjects(db, rows))[0];
}

/** The environment whose app answers on this direct port now, if any. */
export async function findRunningEnvironmentOnPort(db: Queryable, port: number) {
  const { rows } = await db.query<EnvironmentRow>(
    `${ENVIRONMENTS} WHERE e.port = $1 AND e.status = 'running' ORDER BY e.updated_at DESC LIMIT 1`,
    [port],
  );
  return (await withProjects(db, rows))[0];
}

export async function listEnvironments(db: Queryable, projectId: string): Promise<EnvironmentWithSlug[]> {
  const { rows } = await db.query<EnvironmentRow>(
    `${ENVIRONMENTS} WHERE e.project_id = $1
     ORDER BY CASE e.kind WHEN 'production' THEN 0 WHEN 'staging' THEN 1 ELSE 2 END, e.name`,
    [projectId],
  );
  return withProjects(db, rows);
}

/** The staging and production environments of many projects (no slugs: the caller has its projects). */
export async function listMainEnvironmentsOf(db: Queryable, projectIds: string[]): Promise<EnvironmentRow[]> {
  const { rows } = await db.query<EnvironmentRow>(
    `${ENVIRONMENTS} WHERE e.project_id = ANY($1::uuid[]) AND e.kind IN ('staging', 'production')`,
    [projectIds],
  );
  return rows;
}

export async function labelTaken(db: Queryable, label: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM environments WHERE host_label = $1', [label]);
  return (rowCount ?? 0) > 0;
}

/** Creates the environment if missing (locked for the caller's transaction either way). */
export async function ensureEnvironment(
  db: Queryable,
  e: {
    projectId: string;
    name: string;
    kind: EnvKind;
    branch: string | null;
    hostLabel: string;
    /** Set when the environment is created, never changed here. Default: production public, else private. */
    access?: 'private' | 'public';
    now: Date;
  },
): Promise<EnvironmentRow> {
  await db.query(
    `INSERT INTO environments (project_id, name, kind, branch, host_label, access, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (project_id, name) DO NOTHING`,
    [
      e.projectId,
      e.name,
      e.kind,
      e.branch,
      e.hostLabel,
      e.access ?? (e.kind === 'production' ? 'public' : 'private'),
      e.now,
    ],
  );
  const { rows } = await db.query<EnvironmentRow>(
    'SELECT * FROM environments WHERE project_id = $1 AND name = $2 FOR UPDATE',
    [e.projectId, e.name],
  );
  return rows[0]!;
}

/** Records a deploy request: the release to run next, under a new generation. */
export async function requestRelease(
  db: Queryable,
  id: string,
  r: { releaseId: string; expiresAt: Date | null | undefined; now: Date },
): Promise<EnvironmentRow> {
  const { rows } = await db.query<EnvironmentRow>(
    `UPDATE environments SET desired_release_id = $2, desired_state = 'running', generation = generation + 1,
       expires_at = CASE WHEN $3 THEN $4::timestamptz ELSE expires_at END, updated_at = $5
     WHERE id = $1 RETURNING *`,
    [id, r.releaseId, r.expiresAt !== undefined, r.expiresAt ?? null, r.now],
  );
  return rows[0]!;
}

export async function setPinned(
  db: Queryable,
  id: string,
  pinned: boolean,
  expiresAt: Date | null,
  now: Date,
) {
  const { rows } = await db.query<EnvironmentRow>(
    `UPDATE environments SET pinned = $2, expires_at = $3, updated_at = $4 WHERE id = $1 RETURNING *`,
    [id, pinned, expiresAt, now],
  );
  return rows[0]!;
}

/** The supervisor's view of what it did (only columns it owns). */
export async function recordObserved(
  db: Queryable,
  id: string,
  o: {
    status: EnvStatus;
    port?: number | null;
    currentReleaseId?: string;
    observedGeneration?: number;
    lastError?: string | null;
    deployed?: boolean;
    now: Date;
  },
) {
  await db.query(
    `UPDATE environments SET status = $2,
       port = CASE WHEN $3 THEN $4::int ELSE port END,
       current_release_id = COALESCE($5, current_release_id),
       observed_generation = GREATEST(observed_generation, COALESCE($6, 0)),
       last_error = CASE WHEN $7 THEN $8 ELSE last_error END,
       deployed_at = CASE WHEN $9 THEN $10::timestamptz ELSE deployed_at END,
       updated_at = $10
     WHERE id = $1`,
    [
      id,
      o.status,
      o.port !== undefined,
      o.port ?? null,
      o.currentReleaseId ?? null,
      o.observedGeneration ?? null,
      o.lastError !== undefined,
      o.lastError ?? null,
      Boolean(o.deployed),
      o.now,
    ],
  );
}

/**
 * After a failed rollout: go back to wanting what runs now (nothing, for a first deploy), unless a
 * newer deploy was requested meanwhile — so a broken release is not retried by every sweep.
 */
export async function revertDesired(db: Queryable, id: string, generation: number) {
  await db.query(
    'UPDATE environments SET desired_release_id = current_release_id WHERE id = $1 AND generation = $2',
    [id, generation],
  );
}

export async function deleteEnvironment(db: Queryable, id: string) {
  await db.query('DELETE FROM environments WHERE id = $1', [id]);
}

export async function expiredPreviews(db: Queryable, now: Date): Promise<EnvironmentWithSlug[]> {
  const { rows } = await db.query<EnvironmentRow>(
    `${ENVIRONMENTS} WHERE e.kind = 'preview' AND NOT e.pinned AND e.expires_at < $1`,
    [now],
  );
  return withProjects(db, rows);
}
