import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ReactNode, useId, useMemo } from 'react';
import { api } from '../api.ts';
import type { Page, Project } from '../api-types.ts';
import { Alert, ErrorAlert } from '../components/alert.tsx';
import { Card } from '../components/card.tsx';
import { compactControl } from '../components/compact-control.ts';
import { LlmCallsTable } from '../components/llm-calls-table.tsx';
import { BarChart, LineChart } from '../components/llm-charts.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { StateFilter } from '../components/review-state-filter.tsx';
import { Loading } from '../components/spinner.tsx';
import { formatCount, formatMs, formatPercent, formatUsd } from '../llm-format.ts';
import {
  LLM_WINDOW_SECONDS,
  LLM_WINDOWS,
  type LlmCall,
  type LlmStats,
  type LlmWindow,
} from '../llm-types.ts';
import { keys } from '../query-keys.ts';
import { navigate, useLocation } from '../router.tsx';
import { useUser } from '../session.ts';

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
        <StatsView stats={stats.data} recent={recent.data} project={project} since={since} />
      )}
    </>
  );
}

function StatsView({
  stats,
  recent,
  project,
  since,
}: {
  stats: LlmStats;
  recent: LlmCall[] | undefined;
  project: string;
  since: string;
}) {
  const from = new Date(stats.from).getTime();
  const to = new Date(stats.to).getTime();
  const ok = (recent ?? []).filter((c) => c.outcome === 'ok');
  return (
    <div className="space-y-6">
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
        <Tile
          label="Calls"
          value={formatCount(stats.calls)}
          note={`${formatCount(stats.attempts)} attempts`}
        />
        <Tile
          label="Errors"
          value={formatPercent(stats.errorRate)}
          note="failed on every model"
          tone={stats.errorRate > 0.05 ? 'bad' : undefined}
        />
        <Tile label="Retried" value={formatPercent(stats.retryRate)} note="needed another attempt" />
        <Tile label="Fell back" value={formatPercent(stats.fallbackRate)} note="answered by a later model" />
        <Tile
          label="First token p50 / p95"
          value={`${formatMs(stats.ttftMs.p50)}`}
          note={`p95 ${formatMs(stats.ttftMs.p95)}`}
        />
        <Tile label="Cost" value={formatUsd(stats.costUsd)} note={`over ${stats.window}`} />
      </dl>
      {stats.calls === 0 ? (
        <Alert title="No LLM calls in this window">
          Calls appear here once the Architect, an agent or <code>orchard llm ask</code> uses a configured
          provider.
        </Alert>
      ) : (
        <>
          <div className="grid gap-6 lg:grid-cols-2">
            <Card title="Latency" description="Per call, over the window">
              <BarChart
                title="Latency percentiles"
                format={(n) => formatMs(n)}
                bars={[
                  { label: 'first token p50', values: [stats.ttftMs.p50 ?? 0] },
                  { label: 'first token p95', values: [stats.ttftMs.p95 ?? 0] },
                  { label: 'duration p50', values: [stats.durationMs.p50 ?? 0] },
                  { label: 'duration p95', values: [stats.durationMs.p95 ?? 0] },
                ]}
              />
            </Card>
            <Card
              title="Recent attempts"
              description={
                recent && recent.length >= 200
                  ? 'The latest 200 successful attempts'
                  : 'Successful attempts over the window'
              }
            >
              <LineChart
                title="Time to first token and duration of recent attempts"
                from={from}
                to={to}
                format={formatMs}
                series={[
                  {
                    name: 'duration',
                    points: ok.map((c) => ({ t: Date.parse(c.startedAt), v: c.durationMs })),
                  },
                  {
                    name: 'time to first token',
                    points: ok
                      .filter((c) => c.ttftMs !== null)
                      .map((c) => ({ t: Date.parse(c.startedAt), v: c.ttftMs! })),
                  },
                ]}
              />
            </Card>
          </div>
          <div className="grid gap-6 lg:grid-cols-2">
            <Card title="Cost by model">
              <BarChart
                title="Cost by model"
                format={formatUsd}
                bars={stats.byModel.map((m) => ({ label: `${m.provider}/${m.model}`, values: [m.costUsd] }))}
              />
            </Card>
            <Card title="Tokens by model">
              <BarChart
                title="Tokens by model"
                format={formatCount}
                segments={['input (uncached)', 'cached input', 'output']}
                bars={stats.byModel.map((m) => ({
                  label: `${m.provider}/${m.model}`,
                  values: [Math.max(m.inputTokens - m.cachedTokens, 0), m.cachedTokens, m.outputTokens],
                }))}
              />
            </Card>
            <Card title="Cost by provider">
              <BarChart
                title="Cost by provider"
                format={formatUsd}
                bars={stats.byProvider.map((p) => ({ label: p.provider, values: [p.costUsd] }))}
              />
            </Card>
            <Card title="Cost by project">
              <BarChart
                title="Cost by project"
                format={formatUsd}
                bars={stats.byProject.map((p) => ({ label: p.slug ?? '(no project)', values: [p.costUsd] }))}
              />
            </Card>
          </div>
        </>
      )}
      <LlmCallsTable
        project={project}
        since={since}
        providers={stats.byProvider.map((p) => p.provider)}
        models={[...new Set(stats.byModel.map((m) => m.model))]}
      />
    </div>
  );
}

function Tile({ label, value, note, tone }: { label: string; value: ReactNode; note: string; tone?: 'bad' }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-xs">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd
        className={`mt-1 text-xl font-semibold tabular-nums ${tone === 'bad' ? 'text-red-700' : 'text-slate-900'}`}
      >
        {value}
      </dd>
      <dd className="text-xs text-slate-500">{note}</dd>
    </div>
  );
}
