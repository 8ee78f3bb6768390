import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { api, seg } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import type { Pipeline, PipelineStatus } from '../api/pipeline-types.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import type { PageProps } from '../app/page-props.ts';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { PipelineRunForm } from '../features/pipelines/pipeline-run-form.tsx';
import { isActive, StatusBadge, statusLabel } from '../features/pipelines/pipeline-status.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { shortSha, to } from '../features/projects/project-paths.ts';
import { roleAtLeast } from '../features/projects/roles.ts';
import { ErrorAlert } from '../widgets/alert.tsx';
import { Card } from '../widgets/card.tsx';
import { compactControl } from '../widgets/compact-control.ts';
import { durationBetween, formatDuration } from '../widgets/format.ts';
import { LoadMore } from '../widgets/load-more.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { TimeAgo } from '../widgets/time-ago.tsx';

const STATUSES: PipelineStatus[] = ['queued', 'running', 'success', 'failed', 'cancelled', 'error'];

/** `/projects/:slug/pipelines?status=`. */
export function PipelinesPage({ params }: PageProps) {
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="pipelines">
      {(project) => <PipelinesBody project={project} />}
    </ProjectFrame>
  );
}

function PipelinesBody({ project }: { project: Project }) {
  const slug = project.slug;
  const statusId = useId();
  const { search } = useLocation();
  const status = STATUSES.find((s) => s === search.get('status'));
  const list = useInfiniteQuery({
    queryKey: [...keys.pipelines(slug), { status }],
    queryFn: ({ pageParam }) =>
      api.get<Page<Pipeline>>(`/api/projects/${seg(slug)}/pipelines`, {
        status,
        limit: 25,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.pages[0]?.items.some((p) => isActive(p.status)) ? 3000 : 15_000),
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const canRun = roleAtLeast(project.role, 'developer') && !project.archived;

  return (
    <>
      <PageHeader
        title="Pipelines"
        documentTitle={`Pipelines · ${project.name}`}
        description={
          <>
            Every push runs <code className="text-xs">.orchard/pipeline.yml</code>; each job runs isolated and
            streams its log.
          </>
        }
        actions={canRun && <PipelineRunForm slug={slug} />}
      />
      <Card
        flush
        title="Runs"
        actions={
          <div className="flex items-center gap-2">
            <label htmlFor={statusId} className="text-sm text-slate-600">
              Status
            </label>
            <select
              id={statusId}
              value={status ?? ''}
              onChange={(e) =>
                navigate(`${to.pipelines(slug)}${e.target.value ? `?status=${e.target.value}` : ''}`)
              }
              className={`${compactControl} w-36`}
            >
              <option value="">Any</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(s)}
                </option>
              ))}
            </select>
          </div>
        }
      >
        {list.isPending ? (
          <Loading label="Loading pipelines…" className="px-5" />
        ) : list.isError ? (
          <div className="p-5">
            <ErrorAlert error={list.error} />
          </div>
        ) : items.length === 0 ? (
          <p className="px-5 py-10 text-center text-sm text-slate-500">
            {status
              ? 'No pipelines with this status.'
              : 'No pipelines yet. Push a commit with .orchard/pipeline.yml, or run one by hand.'}
          </p>
        ) : (
          <div className="relative overflow-x-auto">
            <table className="stack-table w-full text-left text-sm">
              <caption className="sr-only">Pipelines, newest first</caption>
              <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
                <tr>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Pipeline
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Ref
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Commit
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Trigger
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Duration
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Created
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.map((p) => (
                  <tr key={p.id} className="hover:bg-slate-50">
                    <td data-label="Status" className="px-5 py-2.5">
                      <StatusBadge status={p.status} />
                    </td>
                    <td data-label="Pipeline" className="px-5 py-2.5">
                      <Link
                        to={to.pipeline(slug, p.number)}
                        className="font-medium text-slate-900 hover:text-emerald-800 hover:underline"
                      >
                        #{p.number}
                      </Link>
                      {p.rerunOf && <span className="ml-1.5 text-xs text-slate-400">rerun</span>}
                    </td>
                    <td data-label="Ref" className="px-5 py-2.5">
                      <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
                        {p.ref}
                      </code>
                    </td>
                    <td data-label="Commit" className="px-5 py-2.5">
                      <Link
                        to={to.commit(slug, p.sha)}
                        className="font-mono text-xs text-emerald-800 hover:underline"
                      >
                        {shortSha(p.sha)}
                      </Link>
                    </td>
                    <td data-label="Trigger" className="px-5 py-2.5 text-slate-600">
                      {statusLabel(p.trigger)}
                    </td>
                    <td data-label="Duration" className="px-5 py-2.5 text-slate-600">
                      {p.startedAt ? formatDuration(durationBetween(p.startedAt, p.finishedAt)) : '—'}
                    </td>
                    <td data-label="Created" className="px-5 py-2.5 text-slate-600">
                      <TimeAgo iso={p.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <LoadMore pages={list} />
      </Card>
    </>
  );
}
