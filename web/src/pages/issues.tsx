import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api, seg } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import type { Issue } from '../api/review-types.ts';
import type { PageProps } from '../app/page-props.ts';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { to } from '../features/projects/project-paths.ts';
import { roleAtLeast } from '../features/projects/roles.ts';
import { IssueCreateForm } from '../features/reviews/issue-create-form.tsx';
import { ErrorAlert } from '../widgets/alert.tsx';
import { Badge } from '../widgets/badge.tsx';
import { Button } from '../widgets/button.tsx';
import { Card } from '../widgets/card.tsx';
import { LoadMore } from '../widgets/load-more.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { StateFilter } from '../widgets/state-filter.tsx';
import { TimeAgo } from '../widgets/time-ago.tsx';

type State = 'open' | 'closed' | 'all';
const STATES: Array<{ value: State; label: string }> = [
  { value: 'open', label: 'Open' },
  { value: 'closed', label: 'Closed' },
  { value: 'all', label: 'All' },
];

/** `/projects/:slug/issues?state=&label=`. */
export function IssuesPage({ params }: PageProps) {
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="issues">
      {(project) => <IssuesBody project={project} />}
    </ProjectFrame>
  );
}

function IssuesBody({ project }: { project: Project }) {
  const slug = project.slug;
  const { search } = useLocation();
  const state = (STATES.find((s) => s.value === search.get('state'))?.value ?? 'open') as State;
  const label = search.get('label') ?? '';
  const href = (next: { state?: State; label?: string }) => {
    const q = new URLSearchParams();
    const s = next.state ?? state;
    const l = next.label ?? label;
    if (s !== 'open') q.set('state', s);
    if (l) q.set('label', l);
    const qs = q.toString();
    return `${to.issues(slug)}${qs ? `?${qs}` : ''}`;
  };
  const issues = useInfiniteQuery({
    queryKey: [...keys.issues(slug), { state, label }],
    queryFn: ({ pageParam }) =>
      api.get<Page<Issue>>(`/api/projects/${seg(slug)}/issues`, {
        state,
        label,
        limit: 25,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = issues.data?.pages.flatMap((p) => p.items) ?? [];
  const canCreate = roleAtLeast(project.role, 'developer') && !project.archived;

  return (
    <>
      <PageHeader
        title="Issues"
        documentTitle={`Issues · ${project.name}`}
        description="Bugs, ideas and tasks for this project."
      />
      <div className={`grid grid-cols-1 items-start gap-6 ${canCreate ? 'lg:grid-cols-3' : ''}`}>
        <Card
          flush
          className="lg:col-span-2"
          title={label ? `Issues labelled “${label}”` : 'Issues'}
          actions={
            <>
              {label && (
                <Button variant="ghost" size="sm" onClick={() => navigate(href({ label: '' }))}>
                  Clear label
                </Button>
              )}
              <StateFilter
                label="Issue state"
                value={state}
                options={STATES}
                onChange={(s) => navigate(href({ state: s }))}
              />
            </>
          }
        >
          {issues.isPending ? (
            <Loading label="Loading issues…" className="px-5" />
          ) : issues.isError ? (
            <div className="p-5">
              <ErrorAlert error={issues.error} />
            </div>
          ) : items.length === 0 ? (
            <p className="px-5 py-10 text-center text-sm text-slate-500">
              {state === 'open' && !label ? 'No open issues.' : 'No issues match.'}
            </p>
          ) : (
            <ul aria-label="Issues" className="divide-y divide-slate-100">
              {items.map((issue) => (
                <IssueRow key={issue.id} slug={slug} issue={issue} labelHref={(l) => href({ label: l })} />
              ))}
            </ul>
          )}
          <LoadMore pages={issues} />
        </Card>
        {canCreate && (
          <Card title="New issue">
            <IssueCreateForm slug={slug} />
          </Card>
        )}
      </div>
    </>
  );
}

function IssueRow({
  slug,
  issue,
  labelHref,
}: {
  slug: string;
  issue: Issue;
  labelHref: (label: string) => string;
}) {
  return (
    <li className="flex items-start gap-3 px-5 py-3 hover:bg-slate-50">
      <IssueStateIcon state={issue.state} />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <Link
            to={to.issue(slug, issue.number)}
            className="min-w-0 font-medium text-slate-900 hover:text-emerald-800 hover:underline"
          >
            {issue.title}
          </Link>
          {issue.labels.map((l) => (
            <Link
              key={l}
              to={labelHref(l)}
              className="rounded-full focus-visible:outline-2 focus-visible:outline-emerald-600"
            >
              <Badge tone="blue">{l}</Badge>
            </Link>
          ))}
        </div>
        <p className="mt-0.5 text-xs text-slate-500">
          #{issue.number} opened <TimeAgo iso={issue.createdAt} /> by {issue.author ?? 'Orchard'}
          {issue.state === 'closed' && issue.closedAt && (
            <>
              {' '}
              · closed <TimeAgo iso={issue.closedAt} />
            </>
          )}
        </p>
      </div>
      {issue.assignee && (
        <span className="shrink-0 text-xs text-slate-500">
          assigned to <strong className="font-medium text-slate-700">{issue.assignee}</strong>
        </span>
      )}
    </li>
  );
}

export function IssueStateIcon({ state }: { state: 'open' | 'closed' }) {
  return state === 'open' ? (
    <svg
      viewBox="0 0 20 20"
      aria-label="open"
      role="img"
      className="mt-0.5 size-4 shrink-0 text-emerald-600"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.75"
    >
      <circle cx="10" cy="10" r="7.5" />
      <circle cx="10" cy="10" r="1.75" fill="currentColor" />
    </svg>
  ) : (
    <svg
      viewBox="0 0 20 20"
      aria-label="closed"
      role="img"
      className="mt-0.5 size-4 shrink-0 text-violet-600"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.75"
    >
      <circle cx="10" cy="10" r="7.5" />
      <path d="m6.75 10.25 2.25 2.25 4.25-4.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
