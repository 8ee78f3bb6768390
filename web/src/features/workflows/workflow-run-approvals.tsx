import { Card } from '../../widgets/card.tsx';
import { ApprovalList } from './workflow-approvals.tsx';
import { useWorkflowApprovals } from './workflow-queries.ts';

/** A workflow run's approvals on its operation page: what it waits for, and Approve/Reject for those allowed. */
export function WorkflowRunApprovals({
  op,
}: {
  op: { id: string; kind: string; projectSlug: string | null; status: string };
}) {
  if (op.kind !== 'workflow.run' || !op.projectSlug) return null;
  return (
    <RunApprovals
      slug={op.projectSlug}
      run={op.id}
      active={op.status === 'queued' || op.status === 'running'}
    />
  );
}

function RunApprovals({ slug, run, active }: { slug: string; run: string; active: boolean }) {
  const approvals = useWorkflowApprovals(slug, { run }, active);
  const items = approvals.data?.items ?? [];
  if (!items.length) return null;
  return (
    <Card
      title="Approvals"
      flush
      description="A person with the role named decides; the run waits without a worker."
    >
      <ApprovalList slug={slug} approvals={items} label="Approvals of this run" />
    </Card>
  );
}
