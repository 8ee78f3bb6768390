import type { Queryable } from '../../platform/db/pool.ts';
import type { HeadCommit } from './push.ts';

export interface PushEventRow {
  id: number;
  project_id: string;
  actor_id: string | null;
  actor_name: string;
  ref: string;
  old_sha: string;
  new_sha: string;
  head_commit: HeadCommit | null;
  created_at: Date;
}

export async function insertPushEvent(
  db: Queryable,
  e: {
    projectId: string;
    actorId: string | null;
    actorName: string;
    ref: string;
    oldSha: string;
    newSha: string;
    headCommit: HeadCommit | null;
  },
) {
  await db.query(
    `INSERT INTO push_events (project_id, actor_id, actor_name, ref, old_sha, new_sha, head_commit)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      e.projectId,
      e.actorId,
      e.actorName,
      e.ref,
      e.oldSha,
      e.newSha,
      e.headCommit ? JSON.stringify(e.headCommit) : null,
    ],
  );
}

/** The project's pushes, newest first (the activity feed reads these). */
export async function listPushEvents(
  db: Queryable,
  projectId: string,
  limit: number,
  beforeId?: number,
): Promise<PushEventRow[]> {
  const { rows } = await db.query<PushEventRow>(
    `SELECT * FROM push_events WHERE project_id = $1 AND ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $2`,
    [projectId, limit, beforeId ?? null],
  );
  return rows;
}
