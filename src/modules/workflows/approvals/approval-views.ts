import type { Actor } from '../../../platform/http/actor.ts';
import { type ProjectRole, roleAtLeast } from '../../projects/index.ts';
import type { ApprovalView } from '../schemas.ts';
import type { ApprovalRow } from './approval-store.ts';

/** Whether `actor` (with `role` in the project) may decide: a person, with the approval's role or more. */
export function mayDecide(actor: Actor, role: ProjectRole, approval: Pick<ApprovalRow, 'role'>): boolean {
  return !actor.delegation && roleAtLeast(role, approval.role);
}

export function toApprovalView(row: ApprovalRow, canDecide: boolean): ApprovalView {
  return {
    id: row.id,
    workflow: row.workflow,
    runId: row.operation_id,
    step: row.step_key,
    title: row.title,
    description: row.description,
    role: row.role,
    status: row.status,
    deadline: row.deadline?.toISOString() ?? null,
    decidedBy: row.decided_by_name,
    decidedAt: row.decided_at?.toISOString() ?? null,
    comment: row.comment,
    createdAt: row.created_at.toISOString(),
    canDecide: canDecide && row.status === 'pending',
  };
}
