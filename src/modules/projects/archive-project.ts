import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { notifyAccessChange } from '../../platform/events/index.ts';
import { requireUndelegated } from '../../platform/http/delegated-actor.ts';
import { recordAudit } from '../identity/index.ts';
import { requireProjectRole } from './access.ts';
import { AGENTS_CANNOT_ADMINISTER } from './agent-refusal.ts';
import { type ProjectRow, updateProject as update } from './store.ts';

/** Archives (or restores) a project: owners only; archived projects are read-only. */
export async function setProjectArchived(
  db: Db,
  ctx: RequestContext,
  slug: string,
  archived: boolean,
): Promise<ProjectRow> {
  requireUndelegated(ctx.actor, AGENTS_CANNOT_ADMINISTER);
  const { project } = await requireProjectRole(db, ctx.actor, slug, 'owner', { allowArchived: true });
  return withTransaction(db, async (tx) => {
    const row = await update(tx, project.id, { archivedAt: archived ? new Date() : null });
    await recordAudit(tx, ctx, {
      action: archived ? 'project.archive' : 'project.unarchive',
      target: { type: 'project', id: project.id },
      projectId: project.id,
    });
    if (archived) await notifyAccessChange(tx, { projectId: project.id });
    return row;
  });
}
