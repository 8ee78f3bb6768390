import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { api } from '../api/client.ts';
import type { LlmCall, LlmStats, LlmWindow } from '../api/llm-types.ts';
import type { Page } from '../api/page.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import { navigate, useLocation } from '../app/router.tsx';
import { useUser } from '../app/session.ts';
import { LlmStatsView } from '../features/llm/llm-stats.tsx';
import { LLM_WINDOW_SECONDS, LLM_WINDOWS } from '../features/llm/llm-windows.ts';
import { Alert, ErrorAlert } from '../widgets/alert.tsx';
import { compactControl } from '../widgets/compact-control.ts';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { StateFilter } from '../widgets/state-filter.tsx';

/** `/llm?window=&project=`: LLM health (latency, retries, fallbacks) and spend, with every call. */
export function LlmPage() {
  const user = useUser();
  const admin = user.role === 'admin';
  const projectId = useId();
  const { search } = useLocation();
  const window = (LLM_WINDOWS.find((w) => w === search.get('window')) ?? '24h') as LlmWindow;
  const projects = useQuery({
    queryKey: [...keys.projects, { all: true }],
    queryFn: () => api.get<Page<Project>>('/api/projects', { limit: 200 }),
    select: (p) => p.items,
  });
  // Members see their projects' calls only, one project at a time.
  const project = search.get('project') ?? (admin ? '' : (projects.data?.[0]?.slug ?? ''));
  const scoped = admin || project !== '';
  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    navigate(`/llm?${next.toString()}`, { replace: true });
  };
  const stats = useQuery({
    queryKey: [...keys.llm, 'stats', { window, project }],
    queryFn: () => api.get<LlmStats>('/api/llm/stats', { window, project }),
    enabled: scoped,
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  // Fixed per window choice, so the calls table keeps its pages while the stats refresh.
  const since = useMemo(
    () => new Date(Date.now() - LLM_WINDOW_SECONDS[window] * 1000).toISOString(),
    [window],
  );
  const recent = useQuery({
    queryKey: [...keys.llm, 'recent', { project, since }],
    queryFn: () => api.get<Page<LlmCall>>('/api/llm/calls', { project, since, limit: 200 }),
    enabled: scoped,
    placeholderData: keepPreviousData,
    select: (p) => p.items,
  });

  return (
    <>
      <PageHeader
        title="LLM usage"
        description="Time to first token, duration, retries, fallbacks, tokens and cost of every model call made through the gateway."
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <label htmlFor={projectId} className="sr-only">
              Project
            </label>
            <select
              id={projectId}
              value={project}
              onChange={(e) => setParam('project', e.target.value)}
              className={`${compactControl} w-44`}
            >
              {admin && <option value="">All projects</option>}
              {projects.data?.map((p) => (
                <option key={p.id} value={p.slug}>
                  {p.name}
                </option>
              ))}
            </select>
            <StateFilter
              label="Time window"
              value={window}
              options={LLM_WINDOWS.map((w) => ({ value: w, label: w }))}
              onChange={(w) => setParam('window', w)}
            />
          </div>
        }
      />
      {!scoped ? (
        projects.isPending ? (
          <Loading />
        ) : (
          <Alert>Only instance admins see every call. Join a project to see its LLM usage.</Alert>
        )
      ) : stats.isPending ? (
        <Loading label="Loading statistics…" />
      ) : stats.isError ? (
        <ErrorAlert error={stats.error} />
      ) : (
        <LlmStatsView stats={stats.data} recent={recent.data} project={project} since={since} />
      )}
    </>
  );
}
