import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../platform/errors.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import { recordAudit, requirePerson } from '../../identity/index.ts';
import { lockProjectOperations, wakeStep } from '../../operations/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { ApprovalView } from '../schemas.ts';
import { findApprovalForUpdate, recordDecision } from './approval-store.ts';
import { mayDecide, toApprovalView } from './approval-views.ts';

export const AGENTS_CANNOT_APPROVE = 'Agent tokens cannot approve or reject workflow steps: a person decides';

/**
 * Approves or rejects a pending approval step: a person holding its role (or more) in the project.
 * The decision, the audit row and the wake of the waiting step are one transaction, taken under the
 * project's operations lock — the lock the step checks for a decision under as it parks — so a
 * decision is never missed by a step that was about to wait.
 */
export async function decideApproval(
  deps: { db: Db; clock: Clock },
  ctx: RequestContext,
  input: { slug: string; id: string; decision: 'approved' | 'rejected'; comment: string },
): Promise<ApprovalView> {
  requireUndelegated(ctx.actor, AGENTS_CANNOT_APPROVE);
  await requirePerson(deps.db, ctx.actor, 'approve or reject workflow steps');
  const { project, role } = await requireProjectRole(deps.db, ctx.actor, input.slug, 'developer');
  return withTransaction(deps.db, async (tx) => {
    await lockProjectOperations(tx, project.id);
    const approval = await findApprovalForUpdate(tx, project.id, input.id);
    if (!approval) throw new NotFoundError(`No workflow approval ${input.id} in "${input.slug}".`);
    if (!mayDecide(ctx.actor, role, approval))
      throw new ForbiddenError(
        `This approval needs the ${approval.role} role in project "${input.slug}"; you are ${role}.`,
      );
    if (approval.status !== 'pending')
      throw new ConflictError(
        `This approval is already ${approval.status}${approval.decided_by_name ? ` (by ${approval.decided_by_name})` : ''}.`,
      );
    const now = deps.clock.now();
    if (approval.deadline && approval.deadline <= now)
      throw new ConflictError('This approval has expired: its step no longer waits for a decision.');
    const decided = await recordDecision(tx, approval.id, {
      status: input.decision,
      by: ctx.actor.userId,
      byName: ctx.actor.username,
      at: now,
      comment: input.comment,
    });
    await wakeStep(
      tx,
      { operationId: approval.operation_id, stepKey: approval.step_key, reason: input.decision },
      deps.clock,
    );
    await recordAudit(tx, ctx, {
      action: input.decision === 'approved' ? 'workflow.approve' : 'workflow.reject',
      target: { type: 'workflow_approval', id: approval.id },
      projectId: project.id,
      data: { workflow: approval.workflow, run: approval.operation_id, step: approval.step_key },
    });
    return toApprovalView(decided, true);
  });
}
