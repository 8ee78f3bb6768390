import type { RequestContext } from '../../platform/context.ts';
import { type Queryable, withTransaction } from '../../platform/db/pool.ts';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import { isSystemActor } from '../../platform/http/actor.ts';
import { assertRefName } from '../git/index.ts';
import { recordAudit } from '../identity/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import { CronError, nextCronTime, parseCron } from './cron.ts';
import type { PipelineDeps } from './deps.ts';

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

export function toScheduleView(row: ScheduleRow) {
  return {
    id: row.id,
    ref: row.ref,
    cron: row.cron,
    enabled: row.enabled,
    nextRunAt: row.next_run_at.toISOString(),
    lastRunAt: row.last_run_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

/** Adds a cron schedule (UTC) that runs the pipeline of `ref` (maintainers). */
export async function createSchedule(
  res: PipelineDeps,
  ctx: RequestContext,
  slug: string,
  input: { ref: string; cron: string },
) {
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'maintainer');
  assertRefName(input.ref, 'body.ref');
  let next: Date;
  try {
    next = nextCronTime(parseCron(input.cron), res.clock.now());
  } catch (error) {
    if (!(error instanceof CronError)) throw error;
    throw new ValidationError(error.message, [{ field: 'body.cron', message: error.message }]);
  }
  return withTransaction(res.db, async (tx) => {
    const { rows } = await tx.query<ScheduleRow>(
      'INSERT INTO pipeline_schedules (project_id, ref, cron, next_run_at, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [project.id, input.ref, input.cron, next, isSystemActor(ctx.actor) ? null : ctx.actor.userId],
    );
    await recordAudit(tx, ctx, {
      action: 'pipeline_schedule.create',
      target: { type: 'pipeline_schedule', id: rows[0]!.id },
      projectId: project.id,
      data: input,
    });
    return toScheduleView(rows[0]!);
  });
}

export async function listScheduleRows(db: Queryable, projectId: string): Promise<ScheduleRow[]> {
  const { rows } = await db.query<ScheduleRow>(
    'SELECT * FROM pipeline_schedules WHERE project_id = $1 ORDER BY created_at',
    [projectId],
  );
  return rows;
}

export async function deleteSchedule(res: PipelineDeps, ctx: RequestContext, slug: string, id: string) {
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'maintainer');
  await withTransaction(res.db, async (tx) => {
    const { rowCount } = await tx.query('DELETE FROM pipeline_schedules WHERE project_id = $1 AND id = $2', [
      project.id,
      id,
    ]);
    if (!rowCount) throw new NotFoundError(`No schedule ${id} in "${slug}".`);
    await recordAudit(tx, ctx, {
      action: 'pipeline_schedule.delete',
      target: { type: 'pipeline_schedule', id },
      projectId: project.id,
    });
  });
}
