import { useState } from 'react';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { controlClass, selectClass } from '../../widgets/field.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { LineChart } from './line-chart.tsx';
import { RangeSelect } from './range-select.tsx';
import { type RangeKey, rangeQuery } from './telemetry-paths.ts';
import { useMetricSeries, useMetrics } from './telemetry-queries.ts';

/** The metrics an environment sends: pick one, its aggregation and an attribute to split it by. */
export function MetricsPanel({ slug, env }: { slug: string; env: string }) {
  const [range, setRange] = useState<RangeKey>('1h');
  const [now, setNow] = useState(() => Date.now());
  const window = rangeQuery(range, now);
  const metrics = useMetrics(slug, env, window);
  const [chosen, setChosen] = useState<string | null>(null);
  const [aggregation, setAggregation] = useState('');
  const [groupBy, setGroupBy] = useState('');
  const items = metrics.data?.items ?? [];
  const metric = items.find((m) => m.name === chosen) ?? items[0];
  const series = useMetricSeries(slug, env, {
    ...window,
    name: metric?.name,
    aggregation: aggregation && metric?.aggregations.includes(aggregation as never) ? aggregation : undefined,
    groupBy: groupBy.trim() || undefined,
  });
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <select
          aria-label="Metric"
          className={`${selectClass} w-auto max-w-full min-w-0`}
          value={metric?.name ?? ''}
          onChange={(e) => {
            setChosen(e.target.value);
            setAggregation('');
          }}
        >
          {items.map((m) => (
            <option key={m.name} value={m.name}>
              {m.name} ({m.kind}
              {m.unit ? `, ${m.unit}` : ''})
            </option>
          ))}
        </select>
        {metric && (
          <select
            aria-label="Aggregation"
            className={`${selectClass} w-auto`}
            value={aggregation || metric.aggregations[0]}
            onChange={(e) => setAggregation(e.target.value)}
          >
            {metric.aggregations.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        )}
        <input
          aria-label="Group by attribute"
          placeholder="group by attribute"
          className={`${controlClass()} w-44`}
          value={groupBy}
          onChange={(e) => setGroupBy(e.target.value)}
        />
        <RangeSelect
          value={range}
          onChange={(r) => {
            setRange(r);
            setNow(Date.now());
          }}
        />
        <Button
          variant="secondary"
          busy={metrics.isFetching || series.isFetching}
          onClick={() => setNow(Date.now())}
        >
          Refresh
        </Button>
      </div>
      {metrics.isError && <ErrorAlert error={metrics.error} />}
      {series.isError && <ErrorAlert error={series.error} />}
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        {metrics.isPending ? (
          <Loading label="Loading metrics…" />
        ) : !metric ? (
          <p className="py-8 text-center text-sm text-slate-500">No metrics in this window.</p>
        ) : series.data ? (
          <LineChart data={series.data} />
        ) : (
          !series.isError && <Loading label="Loading the chart…" />
        )}
      </div>
    </div>
  );
}
