import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import { hasScope } from '../../platform/http/actor.ts';
import { requireUndelegated } from '../../platform/http/delegated-actor.ts';
import { recordAudit } from '../identity/index.ts';
import { requireProjectRole } from './access.ts';
import { AGENTS_CANNOT_ADMINISTER } from './agent-refusal.ts';
import { type ProjectRow, updateProject as update } from './store.ts';

/**
 * Renames or redescribes a project (maintainers and up). Letting its jobs and apps share the
 * host's network is for instance admins only: from there they reach Orchard itself, its database
 * and every service on the machine.
 */
export async function updateProject(
  db: Db,
  ctx: RequestContext,
  slug: string,
  patch: { name?: string; description?: string; hostNetwork?: boolean; reviewFirst?: boolean },
): Promise<ProjectRow> {
  requireUndelegated(ctx.actor, AGENTS_CANNOT_ADMINISTER);
  const { project } = await requireProjectRole(db, ctx.actor, slug, 'maintainer');
  if (patch.hostNetwork !== undefined && !(ctx.actor.role === 'admin' && hasScope(ctx.actor, 'admin')))
    throw new ForbiddenError(
      "Only instance admins (with an admin-scoped session or token) may change hostNetwork: it lets the project's jobs and apps reach Orchard's own port, its database and every service on this machine.",
    );
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
