import { useState } from 'react';
import type { SpanView, TraceView } from '../../api/telemetry-types.ts';
import { Link } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { to } from '../projects/project-paths.ts';
import { spanLogsLink } from './telemetry-paths.ts';
import { useTrace } from './telemetry-queries.ts';

const us = (n: number) =>
  n >= 1_000_000
    ? `${(n / 1_000_000).toFixed(2)} s`
    : n >= 1000
      ? `${(n / 1000).toFixed(1)} ms`
      : `${Math.round(n)} µs`;

/** Spans in tree order: each parent followed by its children, by start. */
function treeOrder(spans: SpanView[]): SpanView[] {
  const children = new Map<string | null, SpanView[]>();
  const ids = new Set(spans.map((s) => s.spanId));
  for (const s of spans) {
    const parent = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const out: SpanView[] = [];
  const walk = (parent: string | null) => {
    for (const s of children.get(parent) ?? []) {
      out.push(s);
      walk(s.spanId);
    }
  };
  walk(null);
  return out;
}

/** One trace as a waterfall: a bar per span at its offset and width; a click shows the span. */
export function TraceWaterfall({ slug, env, traceId }: { slug: string; env: string; traceId: string }) {
  const trace = useTrace(slug, env, traceId);
  const [selected, setSelected] = useState<string | null>(null);
  if (trace.isPending) return <Loading label="Loading trace…" />;
  if (trace.isError) return <ErrorAlert error={trace.error} />;
  const t = trace.data;
  const spans = treeOrder(t.spans);
  const span = spans.find((s) => s.spanId === selected);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
        <Link
          to={`${to.environmentView(slug, env, 'telemetry')}?tab=traces`}
          className="text-emerald-700 hover:underline"
        >
          All traces
        </Link>
        <span>·</span>
        <code className="break-all">{t.traceId}</code>
        <span>
          {t.spanCount} spans, {us(t.durationUs)}
        </span>
        {t.error && <Badge tone="red">error</Badge>}
      </div>
      <ol aria-label="Waterfall" className="rounded-lg border border-slate-200 bg-white p-2 shadow-xs">
        {spans.map((s) => (
          <WaterfallRow
            key={s.spanId}
            span={s}
            trace={t}
            selected={s.spanId === selected}
            onSelect={() => setSelected(s.spanId === selected ? null : s.spanId)}
          />
        ))}
      </ol>
      {span && <SpanDetails span={span} slug={slug} env={env} traceId={t.traceId} />}
    </div>
  );
}

function WaterfallRow({
  span: s,
  trace,
  selected,
  onSelect,
}: {
  span: SpanView;
  trace: TraceView;
  selected: boolean;
  onSelect: () => void;
}) {
  const total = Math.max(trace.durationUs, 1);
  const left = (s.offsetUs / total) * 100;
  const width = Math.max((s.durationUs / total) * 100, 0.5);
  return (
    <li data-span={s.name}>
      <button
        type="button"
        aria-pressed={selected}
        onClick={onSelect}
        className={`grid w-full grid-cols-1 gap-1 rounded px-2 py-1 text-left text-xs sm:grid-cols-[minmax(0,2fr)_minmax(0,3fr)] sm:items-center ${selected ? 'bg-emerald-50' : 'hover:bg-slate-50'}`}
      >
        <span
          className="flex min-w-0 items-center gap-1.5"
          style={{ paddingLeft: `${Math.min(s.depth, 8) * 0.75}rem` }}
        >
          <span className="truncate font-medium text-slate-900">{s.name}</span>
          <span className="shrink-0 text-slate-500">{s.serviceName}</span>
          {s.source === 'orchard' && <Badge tone="blue">Orchard</Badge>}
          {s.error && <Badge tone="red">error</Badge>}
        </span>
        <span
          className="relative block h-4 rounded bg-slate-100"
          title={`${us(s.offsetUs)} + ${us(s.durationUs)}`}
        >
          <span
            data-bar
            className={`absolute inset-y-0 rounded ${s.error ? 'bg-red-500' : s.source === 'orchard' ? 'bg-sky-500' : 'bg-emerald-500'}`}
            style={{
              left: `${Math.min(left, 99.5)}%`,
              width: `${Math.min(width, 100 - Math.min(left, 99.5))}%`,
            }}
          />
          <span className="absolute right-1 text-[10px] leading-4 text-slate-700">{us(s.durationUs)}</span>
        </span>
      </button>
    </li>
  );
}

function SpanDetails({
  span: s,
  slug,
  env,
  traceId,
}: {
  span: SpanView;
  slug: string;
  env: string;
  traceId: string;
}) {
  return (
    <section
      aria-label="Span"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-xs"
    >
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-semibold break-words text-slate-900">{s.name}</h3>
        {s.source === 'orchard' && <Badge tone="blue">Orchard</Badge>}
        {s.error && <Badge tone="red">error{s.statusMessage ? `: ${s.statusMessage}` : ''}</Badge>}
        <span className="text-xs text-slate-500">
          {s.serviceName} · starts at +{us(s.offsetUs)} · {us(s.durationUs)}
        </span>
      </div>
      <Link
        to={spanLogsLink(slug, env, traceId, s.spanId)}
        className="inline-block font-medium text-emerald-700 hover:underline"
      >
        Logs of this span ({s.logCount})
      </Link>
      <div>
        <h4 className="text-xs font-semibold text-slate-700 uppercase">Attributes</h4>
        <pre className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 text-xs">
          {JSON.stringify(s.attributes, null, 2)}
        </pre>
      </div>
      {s.events.length > 0 && (
        <div>
          <h4 className="text-xs font-semibold text-slate-700 uppercase">Events</h4>
          <pre className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 text-xs">
            {JSON.stringify(s.events, null, 2)}
          </pre>
        </div>
      )}
    </section>
  );
}
