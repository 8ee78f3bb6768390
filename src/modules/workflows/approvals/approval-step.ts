import { z } from 'zod';
import { notify } from '../../notify/index.ts';
import { NonRetryableError } from '../../operations/index.ts';
import { formatDuration } from '../file/duration.ts';
import type { KindHandler } from '../run/kind-call.ts';
import {
  expireApproval,
  findOpenApproval,
  isDecided,
  requestApproval,
  spendApproval,
} from './approval-store.ts';

const With = z.strictObject({
  title: z.string().trim().min(1).max(300).optional(),
  description: z.string().max(10_000).default(''),
  role: z.enum(['developer', 'maintainer', 'owner']).default('maintainer'),
});

/**
 * `kind: approval`: asks the project's members with `role` (or more) to approve or reject, then
 * parks — a durable wait that holds no worker — until one decides (or `timeout` passes). Approved,
 * its outputs say by whom; rejected or expired, the step fails.
 */
export const approvalStep: KindHandler = async (call) => {
  const args = With.parse(call.with);
  const { deps, ctx, input } = call;
  let approval = await findOpenApproval(deps.db, ctx.operationId, ctx.stepKey);
  if (!approval) {
    const now = deps.clock.now();
    const timeout = input.step.timeout;
    ({ approval } = await requestApproval(deps.db, {
      project_id: input.run.projectId,
      operation_id: ctx.operationId,
      step_key: ctx.stepKey,
      workflow: input.run.workflow,
      title: args.title ?? `Approve ${call.label}?`,
      description: args.description,
      role: args.role,
      deadline: timeout ? new Date(now.getTime() + timeout) : null,
      created_at: now,
    }));
  }
  if (approval.status === 'pending') {
    if (approval.deadline && approval.deadline <= deps.clock.now()) {
      await expireApproval(deps.db, approval.id, deps.clock.now());
      throw new NonRetryableError(
        `No one approved or rejected within ${formatDuration(input.step.timeout ?? 0)}.`,
      );
    }
    // Once per request (the dedupe key): those who may decide hear of it.
    await notify(deps, undefined, {
      kind: 'workflow_approval',
      projectId: input.run.projectId,
      recipients: { projectMembers: { projectId: input.run.projectId, minRole: approval.role } },
      title: `${input.run.workflow}: ${approval.title}`.slice(0, 300),
      body: approval.description,
      link: `/operations/${ctx.operationId}`,
      dedupeKey: `workflow-approval:${approval.id}`,
    });
    const id = approval.id;
    ctx.park({
      reason: 'approval',
      until: approval.deadline ?? undefined,
      readyIf: (tx) => isDecided(tx, id),
    });
  }
  if (approval.status === 'approved')
    return {
      approved: true,
      approval: approval.id,
      by: approval.decided_by_name,
      at: approval.decided_at?.toISOString() ?? null,
      comment: approval.comment,
    };
  await spendApproval(deps.db, approval.id);
  if (approval.status === 'rejected')
    throw new NonRetryableError(
      `Rejected by ${approval.decided_by_name}${approval.comment ? `: ${approval.comment}` : ''}.`,
    );
  throw new NonRetryableError(`The approval was ${approval.status}.`);
};
