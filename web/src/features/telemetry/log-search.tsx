import { type FormEvent, useState } from 'react';
import type { LogRecord } from '../../api/telemetry-types.ts';
import { Link, useLocation } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { controlClass, selectClass } from '../../widgets/field.tsx';
import { LoadMore } from '../../widgets/load-more.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { RangeSelect } from './range-select.tsx';
import { type RangeKey, rangeQuery, traceLink } from './telemetry-paths.ts';
import { useLogSearch } from './telemetry-queries.ts';

const LEVELS = ['', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** Severity tone by SeverityNumber (9–12 info, 13–16 warn, 17+ error). */
const tone = (n: number) => (n >= 17 ? 'red' : n >= 13 ? 'amber' : n >= 9 ? 'blue' : 'neutral');

/**
 * Log search of an environment: words, "phrases" and attr.key=value in one box, least severity,
 * attribute filters and the time window; a span's link arrives with its trace and span ids.
 */
export function LogSearch({ slug, env }: { slug: string; env: string }) {
  const { search } = useLocation();
  const traceId = search.get('traceId') ?? undefined;
  const spanId = search.get('spanId') ?? undefined;
  const [text, setText] = useState(search.get('q') ?? '');
  const [attrText, setAttrText] = useState('');
  const [filters, setFilters] = useState({ q: search.get('q') ?? '', severity: '', attrs: [] as string[] });
  const [range, setRange] = useState<RangeKey>(traceId ? '7d' : '1h');
  const [now, setNow] = useState(() => Date.now());
  const logs = useLogSearch(
    slug,
    env,
    {
      ...rangeQuery(range, now),
      q: filters.q || undefined,
      severity: filters.severity || undefined,
      traceId,
      spanId,
    },
    filters.attrs,
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const attrs = attrText.split(/[\s,]+/).filter((a) => a.includes('='));
    setFilters((f) => ({ ...f, q: text.trim(), attrs }));
    setNow(Date.now());
  };
  const items = logs.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="space-y-4">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2" aria-label="Log search">
        <input
          aria-label="Search logs"
          placeholder='Words, "a phrase", attr.key=value'
          className={`${controlClass()} min-w-0 flex-[2_1_16rem]`}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <input
          aria-label="Attribute filters"
          placeholder="http.route=/api/items"
          className={`${controlClass()} min-w-0 flex-[1_1_10rem]`}
          value={attrText}
          onChange={(e) => setAttrText(e.target.value)}
        />
        <select
          aria-label="Least severity"
          className={`${selectClass} w-auto`}
          value={filters.severity}
          onChange={(e) => setFilters((f) => ({ ...f, severity: e.target.value }))}
        >
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {l ? `${l} and up` : 'any severity'}
            </option>
          ))}
        </select>
        <RangeSelect
          value={range}
          onChange={(r) => {
            setRange(r);
            setNow(Date.now());
          }}
        />
        <Button type="submit">Search</Button>
        <Button type="button" variant="secondary" busy={logs.isFetching} onClick={() => setNow(Date.now())}>
          Refresh
        </Button>
      </form>
      {(traceId || spanId) && (
        <p className="text-sm text-slate-600">
          Logs of{' '}
          {spanId ? (
            <>
              span <code>{spanId}</code> in{' '}
            </>
          ) : null}
          trace <code>{traceId}</code> ·{' '}
          <Link to={traceLink(slug, env, traceId ?? '')} className="text-emerald-700 hover:underline">
            back to the trace
          </Link>
        </p>
      )}
      {logs.isError && <ErrorAlert error={logs.error} />}
      <div className="rounded-lg border border-slate-200 bg-white shadow-xs">
        {logs.isPending ? (
          <Loading label="Searching logs…" className="px-5" />
        ) : !items.length ? (
          <p className="px-5 py-10 text-center text-sm text-slate-500">
            No log records match in this window.
          </p>
        ) : (
          <ol
            aria-label="Log records"
            aria-busy={logs.isPlaceholderData || undefined}
            className="divide-y divide-slate-100 aria-busy:opacity-60"
          >
            {items.map((r) => (
              <LogRow key={`${r.time} ${r.spanId} ${r.body.slice(0, 80)}`} record={r} slug={slug} env={env} />
            ))}
          </ol>
        )}
        <LoadMore pages={logs} />
      </div>
    </div>
  );
}

function LogRow({ record: r, slug, env }: { record: LogRecord; slug: string; env: string }) {
  const [open, setOpen] = useState(false);
  const level = r.severityText || (r.severityNumber ? String(r.severityNumber) : '—');
  return (
    <li className="px-4 py-2 text-sm" data-log-row>
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <time dateTime={r.time} className="shrink-0 font-mono text-xs text-slate-500">
          {r.time.slice(11, 26)}
        </time>
        <Badge tone={tone(r.severityNumber)}>{level}</Badge>
        {r.serviceName && <span className="text-xs text-slate-500">{r.serviceName}</span>}
        <button
          type="button"
          className="min-w-0 flex-1 basis-60 text-left font-mono text-xs break-words text-slate-900"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {r.body}
        </button>
        {r.traceId && (
          <Link
            to={traceLink(slug, env, r.traceId)}
            className="shrink-0 text-xs font-medium text-emerald-700 hover:underline"
          >
            Trace
          </Link>
        )}
      </div>
      {open && (
        <pre className="mt-2 overflow-x-auto rounded bg-slate-50 p-2 text-xs text-slate-700">
          {JSON.stringify(
            { attributes: r.attributes, resource: r.resource, traceId: r.traceId, spanId: r.spanId },
            null,
            2,
          )}
        </pre>
      )}
    </li>
  );
}
