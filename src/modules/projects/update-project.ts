import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { recordAudit } from '../identity/index.ts';
import { requireProjectRole } from './access.ts';
import { type ProjectRow, updateProject as update } from './store.ts';

/** Renames or redescribes a project (maintainers and up). */
export async function updateProject(
  db: Db,
  ctx: RequestContext,
  slug: string,
  patch: { name?: string; description?: string },
): Promise<ProjectRow> {
  const { project } = await requireProjectRole(db, ctx.actor, slug, 'maintainer');
  return withTransaction(db, async (tx) => {
    const row = await update(tx, project.id, patch);
    await recordAudit(tx, ctx, {
      action: 'project.update',
      target: { type: 'project', id: project.id },
      projectId: project.id,
      data: patch,
    });
    return row;
  });
}
