import type { Project } from '../api/project-types.ts';
import type { PageProps } from '../app/page-props.ts';
import { Link } from '../app/router.tsx';
import { StatusBadge } from '../features/operations/live-status.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { to } from '../features/projects/project-paths.ts';
import { roleAtLeast } from '../features/projects/roles.ts';
import { ApprovalList } from '../features/workflows/workflow-approvals.tsx';
import { WorkflowFileCard } from '../features/workflows/workflow-file-card.tsx';
import {
  useWorkflowApprovals,
  useWorkflowRuns,
  useWorkflows,
} from '../features/workflows/workflow-queries.ts';
import { ErrorAlert } from '../widgets/alert.tsx';
import { Card } from '../widgets/card.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { TimeAgo } from '../widgets/time-ago.tsx';

/** `/projects/:slug/workflows`: the workflow files of main, running one, its approvals and runs. */
export function WorkflowsPage({ params }: PageProps) {
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="workflows">
      {(project) => <WorkflowsBody project={project} />}
    </ProjectFrame>
  );
}

function WorkflowsBody({ project }: { project: Project }) {
  const slug = project.slug;
  const workflows = useWorkflows(slug);
  const approvals = useWorkflowApprovals(slug, { status: 'pending' });
  const canRun = roleAtLeast(project.role, 'developer') && !project.archived;
  const pending = approvals.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Workflows"
        documentTitle={`Workflows · ${project.name}`}
        description={
          <>
            Operation trees from <code className="text-xs">.orchard/workflows/*.yml</code> on main: pipelines,
            agents, deploys, browser checks, approvals and notifications, run durably step by step.
          </>
        }
      />
      <div className="space-y-6">
        {pending.length > 0 && (
          <Card title="Waiting for approval" flush>
            <ApprovalList slug={slug} approvals={pending} linkRun label="Pending approvals" />
          </Card>
        )}
        {workflows.isPending ? (
          <Loading label="Loading workflows…" />
        ) : workflows.isError ? (
          <ErrorAlert error={workflows.error} />
        ) : workflows.data.items.length === 0 ? (
          <Card>
            <p className="py-6 text-center text-sm text-slate-500">
              No workflow files on main yet. Add{' '}
              <code className="text-xs">.orchard/workflows/&lt;name&gt;.yml</code>.
            </p>
          </Card>
        ) : (
          workflows.data.items.map((w) => (
            <WorkflowFileCard key={w.name} slug={slug} workflow={w} canRun={canRun} />
          ))
        )}
        <RecentRuns slug={slug} />
      </div>
    </>
  );
}

function RecentRuns({ slug }: { slug: string }) {
  const runs = useWorkflowRuns(slug);
  const items = runs.data?.items ?? [];
  return (
    <Card title="Runs" flush>
      {runs.isPending ? (
        <Loading label="Loading runs…" className="px-5" />
      ) : items.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-slate-500">No runs yet.</p>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="stack-table w-full text-left text-sm">
            <caption className="sr-only">Workflow runs, newest first</caption>
            <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                <th scope="col" className="px-5 py-2 font-medium">
                  Status
                </th>
                <th scope="col" className="px-5 py-2 font-medium">
                  Workflow
                </th>
                <th scope="col" className="px-5 py-2 font-medium">
                  Ref
                </th>
                <th scope="col" className="px-5 py-2 font-medium">
                  Trigger
                </th>
                <th scope="col" className="px-5 py-2 font-medium">
                  Started
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((r) => (
                <tr key={r.id} className="hover:bg-slate-50">
                  <td data-label="Status" className="px-5 py-2.5">
                    <StatusBadge status={r.status} />
                  </td>
                  <td data-label="Workflow" className="px-5 py-2.5">
                    <Link to={to.operation(r.id)} className="font-medium text-slate-900 hover:underline">
                      {r.workflow}
                    </Link>
                  </td>
                  <td data-label="Ref" className="px-5 py-2.5">
                    <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{r.ref}</code>
                  </td>
                  <td data-label="Trigger" className="px-5 py-2.5 text-slate-600">
                    {r.trigger} by {r.actor.name}
                  </td>
                  <td data-label="Started" className="px-5 py-2.5 text-slate-600">
                    <TimeAgo iso={r.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
