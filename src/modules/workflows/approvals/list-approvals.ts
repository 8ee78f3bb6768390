import type { RequestContext } from '../../../platform/context.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { ApprovalView } from '../schemas.ts';
import { type ApprovalStatus, listApprovalRows } from './approval-store.ts';
import { mayDecide, toApprovalView } from './approval-views.ts';

/** A project's workflow approvals, newest first, each saying whether the caller may decide it (viewers). */
export async function listApprovals(
  db: Queryable,
  ctx: RequestContext,
  slug: string,
  query: { status?: ApprovalStatus; run?: string; limit: number },
): Promise<{ items: ApprovalView[]; nextCursor: null }> {
  const { project, role } = await requireProjectRole(db, ctx.actor, slug, 'viewer', { allowArchived: true });
  const rows = await listApprovalRows(db, {
    projectId: project.id,
    status: query.status,
    operationId: query.run,
    limit: query.limit,
  });
  return { items: rows.map((r) => toApprovalView(r, mayDecide(ctx.actor, role, r))), nextCursor: null };
}
