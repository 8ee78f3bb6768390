import type { Queryable } from '../../../platform/db/pool.ts';

export interface LfsObjectRow {
  project_id: string;
  oid: string;
  size: number;
  created_at: Date;
}

export interface LfsLockRow {
  id: string;
  project_id: string;
  path: string;
  owner_id: string;
  ref_name: string | null;
  locked_at: Date;
}

/** Records that the project holds the object (its bytes are already stored); a repeat is a no-op. */
export async function insertLfsObject(db: Queryable, o: { projectId: string; oid: string; size: number }) {
  await db.query(
    'INSERT INTO lfs_objects (project_id, oid, size) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [o.projectId, o.oid, o.size],
  );
}

/** The project's objects among `oids`, by oid. */
export async function findLfsObjects(
  db: Queryable,
  projectId: string,
  oids: string[],
): Promise<Map<string, LfsObjectRow>> {
  if (!oids.length) return new Map();
  const { rows } = await db.query<LfsObjectRow>(
    'SELECT * FROM lfs_objects WHERE project_id = $1 AND oid = ANY($2::text[])',
    [projectId, oids],
  );
  return new Map(rows.map((r) => [r.oid, r]));
}

/** Takes the lock; undefined when the path is locked already. */
export async function insertLfsLock(
  db: Queryable,
  l: { projectId: string; path: string; ownerId: string; refName: string | null; lockedAt: Date },
): Promise<LfsLockRow | undefined> {
  const { rows } = await db.query<LfsLockRow>(
    `INSERT INTO lfs_locks (project_id, path, owner_id, ref_name, locked_at)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (project_id, path) DO NOTHING RETURNING *`,
    [l.projectId, l.path, l.ownerId, l.refName, l.lockedAt],
  );
  return rows[0];
}

export async function findLfsLockByPath(
  db: Queryable,
  projectId: string,
  path: string,
): Promise<LfsLockRow | undefined> {
  const { rows } = await db.query<LfsLockRow>('SELECT * FROM lfs_locks WHERE project_id = $1 AND path = $2', [
    projectId,
    path,
  ]);
  return rows[0];
}

/** The lock, locked against a concurrent unlock until the transaction ends. */
export async function findLfsLockForUpdate(
  db: Queryable,
  projectId: string,
  id: string,
): Promise<LfsLockRow | undefined> {
  const { rows } = await db.query<LfsLockRow>(
    'SELECT * FROM lfs_locks WHERE project_id = $1 AND id = $2 FOR UPDATE',
    [projectId, id],
  );
  return rows[0];
}

export async function deleteLfsLock(db: Queryable, projectId: string, id: string) {
  await db.query('DELETE FROM lfs_locks WHERE project_id = $1 AND id = $2', [projectId, id]);
}

/**
 * One keyset page of the project's locks, oldest first, `rows` long at most. `refName` keeps the
 * locks taken on that ref (and those taken without one).
 */
export async function listLfsLockRows(
  db: Queryable,
  projectId: string,
  filter: { path?: string; id?: string; refName?: string; after?: [string, string] },
  rows: number,
): Promise<LfsLockRow[]> {
  const result = await db.query<LfsLockRow>(
    `SELECT * FROM lfs_locks
      WHERE project_id = $1
        AND ($2::text IS NULL OR path = $2)
        AND ($3::uuid IS NULL OR id = $3)
        AND ($4::text IS NULL OR ref_name = $4 OR ref_name IS NULL)
        AND ($5::timestamptz IS NULL OR (locked_at, id) > ($5::timestamptz, $6::uuid))
      ORDER BY locked_at, id
      LIMIT $7`,
    [
      projectId,
      filter.path ?? null,
      filter.id ?? null,
      filter.refName ?? null,
      filter.after?.[0] ?? null,
      filter.after?.[1] ?? null,
      rows,
    ],
  );
  return result.rows;
}
