import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api, seg } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import type { MergeRequest } from '../api/review-types.ts';
import type { PageProps } from '../app/page-props.ts';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { StatusIcon, statusLabel } from '../features/pipelines/pipeline-status.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { to } from '../features/projects/project-paths.ts';
import { roleAtLeast } from '../features/projects/roles.ts';
import { rollup } from '../features/reviews/mr-checks.tsx';
import { MrStateIcon } from '../features/reviews/mr-state.tsx';
import { ErrorAlert } from '../widgets/alert.tsx';
import { buttonClass } from '../widgets/button.tsx';
import { Card } from '../widgets/card.tsx';
import { LoadMore } from '../widgets/load-more.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { StateFilter } from '../widgets/state-filter.tsx';
import { TimeAgo } from '../widgets/time-ago.tsx';

type State = 'open' | 'merged' | 'closed' | 'all';
const STATES: Array<{ value: State; label: string }> = [
  { value: 'open', label: 'Open' },
  { value: 'merged', label: 'Merged' },
  { value: 'closed', label: 'Closed' },
  { value: 'all', label: 'All' },
];

/** `/projects/:slug/merge-requests?state=`. */
export function MergeRequestsPage({ params }: PageProps) {
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="merge-requests">
      {(project) => <MergeRequestsBody project={project} />}
    </ProjectFrame>
  );
}

function MergeRequestsBody({ project }: { project: Project }) {
  const slug = project.slug;
  const { search } = useLocation();
  const state = STATES.find((s) => s.value === search.get('state'))?.value ?? 'open';
  const list = useInfiniteQuery({
    queryKey: [...keys.mergeRequests(slug), { state }],
    queryFn: ({ pageParam }) =>
      api.get<Page<MergeRequest>>(`/api/projects/${seg(slug)}/merge-requests`, {
        state,
        limit: 25,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    // Checks change while pipelines run.
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) =>
        p.items.some((mr) => ['pending', 'running'].includes(rollup(mr.checks) ?? '')),
      )
        ? 5000
        : false,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const canCreate = roleAtLeast(project.role, 'developer') && !project.archived;

  return (
    <>
      <PageHeader
        title="Merge requests"
        documentTitle={`Merge requests · ${project.name}`}
        description="Proposed changes from one branch into another, with their checks."
        actions={
          canCreate && (
            <Link to={to.compare(slug)} className={buttonClass()}>
              New merge request
            </Link>
          )
        }
      />
      <Card
        flush
        title="Merge requests"
        actions={
          <StateFilter
            label="Merge request state"
            value={state}
            options={STATES}
            onChange={(s) => navigate(`${to.mergeRequests(slug)}${s === 'open' ? '' : `?state=${s}`}`)}
          />
        }
      >
        {list.isPending ? (
          <Loading label="Loading merge requests…" className="px-5" />
        ) : list.isError ? (
          <div className="p-5">
            <ErrorAlert error={list.error} />
          </div>
        ) : items.length === 0 ? (
          <p className="px-5 py-10 text-center text-sm text-slate-500">
            {state === 'open'
              ? 'No open merge requests. Push a branch and compare it to open one.'
              : 'No merge requests match.'}
          </p>
        ) : (
          <ul aria-label="Merge requests" className="divide-y divide-slate-100">
            {items.map((mr) => (
              <MrRow key={mr.id} slug={slug} mr={mr} />
            ))}
          </ul>
        )}
        <LoadMore pages={list} />
      </Card>
    </>
  );
}

function MrRow({ slug, mr }: { slug: string; mr: MergeRequest }) {
  const checks = rollup(mr.checks);
  return (
    <li className="flex items-start gap-3 px-5 py-3 hover:bg-slate-50">
      <MrStateIcon state={mr.state} />
      <div className="min-w-0 flex-1">
        <Link
          to={to.mergeRequest(slug, mr.number)}
          className="font-medium text-slate-900 hover:text-emerald-800 hover:underline"
        >
          {mr.title}
        </Link>
        <p className="mt-0.5 flex flex-wrap items-center gap-x-1 text-xs text-slate-500">
          <span>
            !{mr.number} by {mr.author ?? 'Orchard'}
          </span>
          <span>·</span>
          <code className="rounded bg-slate-100 px-1 text-slate-700">{mr.sourceBranch}</code>
          <span aria-hidden="true">→</span>
          <span className="sr-only">into</span>
          <code className="rounded bg-slate-100 px-1 text-slate-700">{mr.targetBranch}</code>
          <span>·</span>
          {mr.state === 'merged' && mr.mergedAt ? (
            <TimeAgo iso={mr.mergedAt} prefix="merged" />
          ) : (
            <TimeAgo iso={mr.updatedAt} prefix="updated" />
          )}
        </p>
      </div>
      {checks && (
        <span
          className="flex shrink-0 items-center gap-1.5 text-xs text-slate-600"
          title={`Checks: ${statusLabel(checks)}`}
        >
          <StatusIcon status={checks} />
          <span className="sr-only">checks {statusLabel(checks)}</span>
        </span>
      )}
    </li>
  );
}
