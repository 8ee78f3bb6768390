import { useState } from 'react';
import { Link } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { controlClass } from '../../widgets/field.tsx';
import { formatDuration } from '../../widgets/format.ts';
import { LoadMore } from '../../widgets/load-more.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { RangeSelect } from './range-select.tsx';
import { type RangeKey, rangeQuery, traceLink } from './telemetry-paths.ts';
import { useTraces } from './telemetry-queries.ts';

/** Recent traces of an environment, each a link to its waterfall. */
export function TraceList({ slug, env }: { slug: string; env: string }) {
  const [range, setRange] = useState<RangeKey>('1h');
  const [now, setNow] = useState(() => Date.now());
  const [name, setName] = useState('');
  const [minMs, setMinMs] = useState('');
  const [errors, setErrors] = useState(false);
  const traces = useTraces(slug, env, {
    ...rangeQuery(range, now),
    name: name || undefined,
    minDurationMs: minMs || undefined,
    errors: errors ? 'true' : undefined,
  });
  const items = traces.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <input
          aria-label="Span name"
          placeholder="Span name"
          className={`${controlClass()} min-w-0 flex-[1_1_12rem]`}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <input
          aria-label="Least duration (ms)"
          placeholder="≥ ms"
          inputMode="numeric"
          className={`${controlClass()} w-24`}
          value={minMs}
          onChange={(e) => setMinMs(e.target.value.replace(/\D/g, ''))}
        />
        <label className="flex items-center gap-1.5 text-sm text-slate-600">
          <input type="checkbox" checked={errors} onChange={(e) => setErrors(e.target.checked)} /> Errors only
        </label>
        <RangeSelect
          value={range}
          onChange={(r) => {
            setRange(r);
            setNow(Date.now());
          }}
        />
        <Button variant="secondary" busy={traces.isFetching} onClick={() => setNow(Date.now())}>
          Refresh
        </Button>
      </div>
      {traces.isError && <ErrorAlert error={traces.error} />}
      <div className="rounded-lg border border-slate-200 bg-white shadow-xs">
        {traces.isPending ? (
          <Loading label="Loading traces…" className="px-5" />
        ) : !items.length ? (
          <p className="px-5 py-10 text-center text-sm text-slate-500">No traces in this window.</p>
        ) : (
          <ul aria-label="Traces" className="divide-y divide-slate-100">
            {items.map((t) => (
              <li key={t.traceId} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2.5 text-sm">
                <Link
                  to={traceLink(slug, env, t.traceId)}
                  className="min-w-0 flex-1 basis-48 font-medium break-words text-emerald-700 hover:underline"
                >
                  {t.rootName || t.traceId}
                </Link>
                <span className="text-xs text-slate-500">{t.serviceName}</span>
                {t.orchard && <Badge tone="blue">Orchard</Badge>}
                {t.error && <Badge tone="red">error</Badge>}
                <span className="text-xs text-slate-500">{t.spanCount} spans</span>
                <span className="font-mono text-xs text-slate-700">{formatDuration(t.durationMs)}</span>
                <time dateTime={t.start} className="font-mono text-xs text-slate-500">
                  {t.start.slice(11, 23)}
                </time>
              </li>
            ))}
          </ul>
        )}
        <LoadMore pages={traces} />
      </div>
    </div>
  );
}
