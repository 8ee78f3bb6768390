import type { Queryable } from '../../../platform/db/pool.ts';

/** An `on: schedule` entry of a workflow file on the default branch (table `workflow_schedules`). */
export interface WorkflowScheduleRow {
  id: string;
  project_id: string;
  workflow: string;
  cron: string;
  run_as: string | null;
  file_hash: string;
  next_run_at: Date;
  last_run_at: Date | null;
  last_operation_id: string | null;
  created_at: Date;
}

export interface WantedSchedule {
  workflow: string;
  cron: string;
  fileHash: string;
  /** When it first fires, if it is new. */
  nextRunAt: Date;
}

/**
 * Makes a project's schedules exactly `wanted`: gone ones deleted, new ones added (acting as
 * `runAs`), kept ones keep their next run — and take `runAs` when their file changed.
 */
export async function replaceSchedules(
  db: Queryable,
  projectId: string,
  wanted: WantedSchedule[],
  runAs: string | null,
  now: Date,
): Promise<void> {
  await db.query(
    `DELETE FROM workflow_schedules w WHERE w.project_id = $1
       AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS k(workflow, cron)
                       WHERE k.workflow = w.workflow AND k.cron = w.cron)`,
    [projectId, wanted.map((w) => w.workflow), wanted.map((w) => w.cron)],
  );
  if (!wanted.length) return;
  await db.query(
    `INSERT INTO workflow_schedules (project_id, workflow, cron, run_as, file_hash, next_run_at, created_at)
     SELECT $1, k.workflow, k.cron, $5, k.hash, k.next, $6
     FROM unnest($2::text[], $3::text[], $4::text[], $7::timestamptz[]) AS k(workflow, cron, hash, next)
     ON CONFLICT (project_id, workflow, cron) DO UPDATE SET
       run_as = CASE WHEN workflow_schedules.file_hash <> EXCLUDED.file_hash THEN EXCLUDED.run_as
                     ELSE workflow_schedules.run_as END,
       file_hash = EXCLUDED.file_hash`,
    [
      projectId,
      wanted.map((w) => w.workflow),
      wanted.map((w) => w.cron),
      wanted.map((w) => w.fileHash),
      runAs,
      now,
      wanted.map((w) => w.nextRunAt),
    ],
  );
}

export async function listProjectSchedules(db: Queryable, projectId: string): Promise<WorkflowScheduleRow[]> {
  const { rows } = await db.query<WorkflowScheduleRow>(
    'SELECT * FROM workflow_schedules WHERE project_id = $1 ORDER BY workflow, cron',
    [projectId],
  );
  return rows;
}

/** The schedules that are due, oldest first (at most 50 a tick). */
export async function dueWorkflowSchedules(db: Queryable, now: Date): Promise<WorkflowScheduleRow[]> {
  const { rows } = await db.query<WorkflowScheduleRow>(
    'SELECT * FROM workflow_schedules WHERE next_run_at <= $1 ORDER BY next_run_at LIMIT 50',
    [now],
  );
  return rows;
}

/** Claims one run by moving `next_run_at`: only the process whose row still holds the time it read wins. */
export async function claimWorkflowScheduleRun(
  db: Queryable,
  schedule: WorkflowScheduleRow,
  next: Date,
  now: Date,
): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE workflow_schedules SET next_run_at = $2, last_run_at = $3 WHERE id = $1 AND next_run_at = $4',
    [schedule.id, next, now, schedule.next_run_at],
  );
  return rowCount === 1;
}

export async function setScheduleOperation(db: Queryable, id: string, operationId: string) {
  await db.query('UPDATE workflow_schedules SET last_operation_id = $2 WHERE id = $1', [id, operationId]);
}
