import { useQuery } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import type { Page } from '../../api/page.ts';
import { keys } from '../../api/query-keys.ts';
import type { WorkflowApproval, WorkflowList, WorkflowRun } from '../../api/workflow-types.ts';

const base = (slug: string) => `/api/projects/${seg(slug)}`;
const live = (status: string) => status === 'queued' || status === 'running';

/** The workflow files on the project's default branch, with their validation. */
export function useWorkflows(slug: string) {
  return useQuery({
    queryKey: keys.workflows(slug),
    queryFn: () => api.get<WorkflowList>(`${base(slug)}/workflows`),
  });
}

/** Recent runs, kept fresh while one is going. */
export function useWorkflowRuns(slug: string) {
  return useQuery({
    queryKey: keys.workflowRuns(slug),
    queryFn: () => api.get<Page<WorkflowRun>>(`${base(slug)}/workflow-runs`, { limit: 20 }),
    refetchInterval: (q) => (q.state.data?.items.some((r) => live(r.status)) ? 2_000 : 15_000),
  });
}

/** Approvals (of one run, or the pending ones of the project), polled while one may change. */
export function useWorkflowApprovals(
  slug: string,
  filter: { run?: string; status?: 'pending' },
  active = true,
) {
  return useQuery({
    queryKey: [...keys.workflowApprovals(slug), filter],
    queryFn: () => api.get<Page<WorkflowApproval>>(`${base(slug)}/workflow-approvals`, filter),
    refetchInterval: active ? 2_000 : false,
  });
}
