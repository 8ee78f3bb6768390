import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireEnvironment } from '../require-environment.ts';
import { requireGroup, requireInstanceErrors } from './error-access.ts';
import { setGroupStatus } from './error-store.ts';
import type { ErrorStatus } from './schemas.ts';
import { toErrorGroupView } from './views.ts';

const ACTIONS: Record<ErrorStatus, string> = {
  open: 'error_group.reopen',
  resolved: 'error_group.resolve',
  ignored: 'error_group.ignore',
};

/** Resolves, ignores or reopens an environment's error group (developers and above), audited. */
export async function setEnvironmentErrorStatus(
  deps: { db: Db; clock: Clock },
  ctx: RequestContext,
  where: { slug: string; env: string; id: string },
  status: ErrorStatus,
) {
  const { project, environment } = await requireEnvironment(deps.db, ctx.actor, where, 'developer');
  return change(deps, ctx, { id: where.id, environmentId: environment.id, projectId: project.id }, status);
}

/** Resolves, ignores or reopens one of Orchard's own error groups (admins), audited. */
export async function setInstanceErrorStatus(
  deps: { db: Db; clock: Clock },
  ctx: RequestContext,
  id: string,
  status: ErrorStatus,
) {
  requireInstanceErrors(ctx);
  return change(deps, ctx, { id, environmentId: null, projectId: null }, status);
}

async function change(
  deps: { db: Db; clock: Clock },
  ctx: RequestContext,
  target: { id: string; environmentId: string | null; projectId: string | null },
  status: ErrorStatus,
) {
  return withTransaction(deps.db, async (tx) => {
    const before = await requireGroup(tx, target.id, target.environmentId);
    const row = (await setGroupStatus(tx, before.id, status, deps.clock.now()))!;
    await recordAudit(tx, ctx, {
      action: ACTIONS[status],
      target: { type: 'error_group', id: row.id },
      projectId: target.projectId,
      data: { from: before.status, type: row.type, environmentId: target.environmentId },
    });
    return toErrorGroupView(row);
  });
}
