import type { RequestContext } from '../../../platform/context.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { ValidationError } from '../../../platform/errors.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import { assertRefName } from '../../git/index.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { PipelineDeps } from '../deps.ts';
import { CronError, nextCronTime, parseCron } from './cron.ts';
import { insertSchedule } from './schedule-store.ts';
import { toScheduleView } from './schedule-view.ts';

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
    const row = await insertSchedule(tx, {
      projectId: project.id,
      ref: input.ref,
      cron: input.cron,
      nextRunAt: next,
      createdBy: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
    });
    await recordAudit(tx, ctx, {
      action: 'pipeline_schedule.create',
      target: { type: 'pipeline_schedule', id: row.id },
      projectId: project.id,
      data: input,
    });
    return toScheduleView(row);
  });
}
