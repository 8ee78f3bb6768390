import { useLocation } from '../../app/router.tsx';
import { TabList, tabPanelProps, useUrlTabs } from '../../widgets/tabs.tsx';
import { LogSearch } from './log-search.tsx';
import { MetricsPanel } from './metrics-panel.tsx';
import { TraceList } from './trace-list.tsx';
import { TraceWaterfall } from './trace-waterfall.tsx';

const TABS = ['logs', 'traces', 'metrics'] as const;

/** Logs | Traces | Metrics of one environment; the tab, a trace and a span's logs live in the address. */
export function TelemetryView({ slug, env }: { slug: string; env: string }) {
  const tabs = useUrlTabs(TABS);
  const { search } = useLocation();
  const trace = search.get('trace');
  const logsKey = `${search.get('traceId') ?? ''}-${search.get('spanId') ?? ''}-${search.get('q') ?? ''}`;
  return (
    <div className="space-y-4">
      <TabList
        label="Telemetry"
        tabs={tabs}
        className="max-w-md"
        items={[
          { key: 'logs', label: 'Logs' },
          { key: 'traces', label: 'Traces' },
          { key: 'metrics', label: 'Metrics' },
        ]}
      />
      <div {...tabPanelProps(tabs, 'logs')}>
        {tabs.selected === 'logs' && <LogSearch key={logsKey} slug={slug} env={env} />}
      </div>
      <div {...tabPanelProps(tabs, 'traces')}>
        {tabs.selected === 'traces' &&
          (trace ? (
            <TraceWaterfall key={trace} slug={slug} env={env} traceId={trace} />
          ) : (
            <TraceList slug={slug} env={env} />
          ))}
      </div>
      <div {...tabPanelProps(tabs, 'metrics')}>
        {tabs.selected === 'metrics' && <MetricsPanel slug={slug} env={env} />}
      </div>
    </div>
  );
}
