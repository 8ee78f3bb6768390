import type { ReactNode } from 'react';
import type { LlmCall, LlmStats } from '../../api/llm-types.ts';
import { Alert } from '../../widgets/alert.tsx';
import { Card } from '../../widgets/card.tsx';
import { LlmCallsTable } from './llm-calls-table.tsx';
import { BarChart, LineChart } from './llm-charts.tsx';
import { formatCount, formatMs, formatPercent, formatUsd } from './llm-format.ts';

/** Tiles, latency and spend charts for a window, then the calls table. */
export function LlmStatsView({
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
          <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
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
          <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
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
