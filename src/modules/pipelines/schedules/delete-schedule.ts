import type { RequestContext } from '../../../platform/context.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { PipelineDeps } from '../deps.ts';
import { deleteScheduleRow } from './schedule-store.ts';

/** Removes a pipeline schedule (maintainers). */
export async function deleteSchedule(res: PipelineDeps, ctx: RequestContext, slug: string, id: string) {
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'maintainer');
  await withTransaction(res.db, async (tx) => {
    if (!(await deleteScheduleRow(tx, project.id, id)))
      throw new NotFoundError(`No schedule ${id} in "${slug}".`);
    await recordAudit(tx, ctx, {
      action: 'pipeline_schedule.delete',
      target: { type: 'pipeline_schedule', id },
      projectId: project.id,
    });
  });
}
