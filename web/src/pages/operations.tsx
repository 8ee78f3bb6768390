import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useId } from 'react';
import { api } from '../api/client.ts';
import type { Operation, OperationStatus } from '../api/operation-types.ts';
import type { Page } from '../api/page.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { useUser } from '../app/session.ts';
import { isActive, StatusBadge } from '../features/pipelines/pipeline-status.tsx';
import { to } from '../features/projects/project-paths.ts';
import { ErrorAlert } from '../widgets/alert.tsx';
import { Card } from '../widgets/card.tsx';
import { compactControl } from '../widgets/compact-control.ts';
import { durationBetween, formatDuration } from '../widgets/format.ts';
import { LoadMore } from '../widgets/load-more.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { TimeAgo } from '../widgets/time-ago.tsx';

const STATUSES: OperationStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

/** `/operations?project=&status=&kind=`: every durable run Orchard keeps (admins see all, members their projects'). */
export function OperationsPage() {
  const user = useUser();
  const { search } = useLocation();
  const ids = { project: useId(), status: useId(), kind: useId() };
  const project = search.get('project') ?? '';
  const status = STATUSES.find((s) => s === search.get('status'));
  const kind = useDeferredValue((search.get('kind') ?? '').trim());
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    const qs = next.toString();
    navigate(`/operations${qs ? `?${qs}` : ''}`, { replace: true });
  };
  const projects = useQuery({
    queryKey: [...keys.projects, { all: true }],
    queryFn: () => api.get<Page<Project>>('/api/projects', { limit: 200 }),
    select: (p) => p.items,
  });
  const bySlug = new Map(projects.data?.map((p) => [p.id, p]));
  const list = useInfiniteQuery({
    queryKey: [...keys.allOperations, { project, status, kind }],
    queryFn: ({ pageParam }) =>
      api.get<Page<Operation>>('/api/operations', { project, status, kind, limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.pages[0]?.items.some((o) => isActive(o.status)) ? 3000 : 15_000),
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title="Operations"
        description={
          user.role === 'admin'
            ? 'Every durable run on this instance: builds, pipelines, deploys, browser tasks and webhook deliveries.'
            : 'The durable runs of your projects: builds, pipelines, deploys, browser tasks and webhook deliveries.'
        }
      />
      <Card
        flush
        title="Runs"
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <label htmlFor={ids.project} className="sr-only">
              Project
            </label>
            <select
              id={ids.project}
              value={project}
              onChange={(e) => setFilter('project', e.target.value)}
              className={`${compactControl} w-44`}
            >
              <option value="">All projects</option>
              {projects.data?.map((p) => (
                <option key={p.id} value={p.slug}>
                  {p.name}
                </option>
              ))}
            </select>
            <label htmlFor={ids.status} className="sr-only">
              Status
            </label>
            <select
              id={ids.status}
              value={status ?? ''}
              onChange={(e) => setFilter('status', e.target.value)}
              className={`${compactControl} w-36`}
            >
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
            <label htmlFor={ids.kind} className="sr-only">
              Kind
            </label>
            <input
              id={ids.kind}
              type="search"
              placeholder="Kind, e.g. pipeline.run"
              defaultValue={search.get('kind') ?? ''}
              onChange={(e) => setFilter('kind', e.target.value.trim())}
              className={`${compactControl} w-52`}
            />
          </div>
        }
      >
        {list.isPending ? (
          <Loading label="Loading operations…" className="px-5" />
        ) : list.isError ? (
          <div className="p-5">
            <ErrorAlert error={list.error} />
          </div>
        ) : items.length === 0 ? (
          <p className="px-5 py-10 text-center text-sm text-slate-500">
            {project || status || kind ? 'No operations match these filters.' : 'No operations yet.'}
          </p>
        ) : (
          <div className="relative overflow-x-auto">
            <table className="stack-table w-full text-left text-sm">
              <caption className="sr-only">Operations, newest first</caption>
              <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
                <tr>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Kind
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Project
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Started by
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
                {items.map((o) => {
                  const p = o.projectId ? bySlug.get(o.projectId) : undefined;
                  return (
                    <tr key={o.id} className="hover:bg-slate-50">
                      <td data-label="Kind" className="px-5 py-2.5">
                        <Link
                          to={to.operation(o.id)}
                          className="font-mono text-xs font-medium text-slate-900 hover:text-emerald-800 hover:underline"
                        >
                          {o.kind}
                        </Link>
                        {o.error && (
                          <p className="max-w-xs truncate text-xs text-red-700" title={o.error.message}>
                            {o.error.message}
                          </p>
                        )}
                      </td>
                      <td data-label="Status" className="px-5 py-2.5">
                        <StatusBadge
                          status={o.cancelRequested && isActive(o.status) ? 'cancelling' : o.status}
                        />
                      </td>
                      <td data-label="Project" className="px-5 py-2.5 text-slate-600">
                        {p ? (
                          <Link to={to.project(p.slug)} className="hover:text-emerald-800 hover:underline">
                            {p.name}
                          </Link>
                        ) : o.projectSlug ? (
                          <Link
                            to={to.project(o.projectSlug)}
                            className="hover:text-emerald-800 hover:underline"
                          >
                            {o.projectSlug}
                          </Link>
                        ) : o.projectId ? (
                          <span className="font-mono text-xs text-slate-400">{o.projectId.slice(0, 8)}</span>
                        ) : (
                          <span className="text-slate-400">system</span>
                        )}
                      </td>
                      <td data-label="Started by" className="px-5 py-2.5 text-slate-600">
                        {o.actor.name}
                      </td>
                      <td data-label="Duration" className="px-5 py-2.5 text-slate-600">
                        {o.startedAt ? formatDuration(durationBetween(o.startedAt, o.finishedAt)) : '—'}
                      </td>
                      <td data-label="Created" className="px-5 py-2.5 text-slate-600">
                        <TimeAgo iso={o.createdAt} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <LoadMore pages={list} />
      </Card>
    </>
  );
}
