import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import type { WorkflowApproval } from '../../api/workflow-types.ts';
import { Link } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { controlClass } from '../../widgets/field.tsx';
import { formatDateTime } from '../../widgets/format.ts';
import { to } from '../projects/project-paths.ts';

const TONE = {
  pending: 'amber',
  approved: 'green',
  rejected: 'red',
  expired: 'neutral',
  cancelled: 'neutral',
} as const;

/** One approval: what it asks, who may decide, and — for those allowed, while pending — Approve and Reject. */
function ApprovalItem({
  slug,
  approval,
  linkRun,
}: {
  slug: string;
  approval: WorkflowApproval;
  linkRun: boolean;
}) {
  const client = useQueryClient();
  const commentId = useId();
  const [comment, setComment] = useState('');
  const decide = useMutation({
    mutationFn: (verb: 'approve' | 'reject') =>
      api.post<WorkflowApproval>(
        `/api/projects/${seg(slug)}/workflow-approvals/${seg(approval.id)}/${verb}`,
        {
          comment,
        },
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.workflowApprovals(slug) }),
  });
  return (
    <li className="space-y-2 px-5 py-4" aria-label={`Approval: ${approval.title}`}>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={TONE[approval.status]}>{approval.status}</Badge>
        <span className="font-medium text-slate-900">{approval.title}</span>
        <span className="text-sm text-slate-500">
          {approval.workflow} · step {approval.step} · needs {approval.role}
        </span>
        {linkRun && (
          <Link to={to.operation(approval.runId)} className="text-sm text-emerald-800 hover:underline">
            Open the run
          </Link>
        )}
      </div>
      {approval.description && (
        <p className="text-sm whitespace-pre-wrap text-slate-700">{approval.description}</p>
      )}
      {approval.status !== 'pending' ? (
        <p className="text-sm text-slate-600">
          {approval.decidedBy ? `${approval.status} by ${approval.decidedBy}` : approval.status}
          {approval.decidedAt ? ` on ${formatDateTime(approval.decidedAt)}` : ''}
          {approval.comment ? `: “${approval.comment}”` : ''}
        </p>
      ) : approval.canDecide ? (
        <div className="flex flex-wrap items-end gap-2">
          <div className="min-w-48 flex-1">
            <label htmlFor={commentId} className="sr-only">
              Comment on your decision
            </label>
            <input
              id={commentId}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              placeholder="Comment (optional)"
              className={controlClass()}
            />
          </div>
          <Button
            busy={decide.isPending && decide.variables === 'approve'}
            onClick={() => decide.mutate('approve')}
          >
            Approve
          </Button>
          <Button
            variant="danger"
            busy={decide.isPending && decide.variables === 'reject'}
            onClick={() => decide.mutate('reject')}
          >
            Reject
          </Button>
        </div>
      ) : (
        <p className="text-sm text-slate-500">
          Waiting for a {approval.role} (or more) to decide
          {approval.deadline ? `, until ${formatDateTime(approval.deadline)}` : ''}.
        </p>
      )}
      {decide.isError && <ErrorAlert error={decide.error} />}
    </li>
  );
}

/** Approvals as a list; each says whether the viewer may decide it. */
export function ApprovalList({
  slug,
  approvals,
  linkRun = false,
  label,
}: {
  slug: string;
  approvals: WorkflowApproval[];
  linkRun?: boolean;
  label: string;
}) {
  return (
    <ul aria-label={label} className="divide-y divide-slate-100">
      {approvals.map((a) => (
        <ApprovalItem key={a.id} slug={slug} approval={a} linkRun={linkRun} />
      ))}
    </ul>
  );
}
