import type { Queryable } from '../../../platform/db/pool.ts';

export interface ScheduleRow {
  id: string;
  project_id: string;
  ref: string;
  cron: string;
  enabled: boolean;
  next_run_at: Date;
  last_run_at: Date | null;
  /** The schedule runs as its creator (see scheduler.ts). */
  created_by: string | null;
  created_at: Date;
}

export async function insertSchedule(
  db: Queryable,
  s: { projectId: string; ref: string; cron: string; nextRunAt: Date; createdBy: string | null },
): Promise<ScheduleRow> {
  const { rows } = await db.query<ScheduleRow>(
    'INSERT INTO pipeline_schedules (project_id, ref, cron, next_run_at, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING *',
    [s.projectId, s.ref, s.cron, s.nextRunAt, s.createdBy],
  );
  return rows[0]!;
}

export async function listScheduleRows(db: Queryable, projectId: string): Promise<ScheduleRow[]> {
  const { rows } = await db.query<ScheduleRow>(
    'SELECT * FROM pipeline_schedules WHERE project_id = $1 ORDER BY created_at',
    [projectId],
  );
  return rows;
}

export async function deleteScheduleRow(db: Queryable, projectId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM pipeline_schedules WHERE project_id = $1 AND id = $2', [
    projectId,
    id,
  ]);
  return (rowCount ?? 0) > 0;
}

/** The schedules that are due, oldest first (at most 50 a tick). */
export async function dueSchedules(db: Queryable, now: Date): Promise<ScheduleRow[]> {
  const { rows } = await db.query<ScheduleRow>(
    'SELECT * FROM pipeline_schedules WHERE enabled AND next_run_at <= $1 ORDER BY next_run_at LIMIT 50',
    [now],
  );
  return rows;
}

/**
 * Claims one run of a due schedule by moving its `next_run_at`: only the process whose row still
 * holds the time it read wins.
 */
export async function claimScheduleRun(
  db: Queryable,
  schedule: ScheduleRow,
  next: Date,
  now: Date,
): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE pipeline_schedules SET next_run_at = $2, last_run_at = $3 WHERE id = $1 AND next_run_at = $4',
    [schedule.id, next, now, schedule.next_run_at],
  );
  return rowCount === 1;
}
