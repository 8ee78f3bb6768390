import { useState } from 'react';
import type { ErrorStatus } from '../../api/error-types.ts';
import { Link } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { LoadMore } from '../../widgets/load-more.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { StateFilter } from '../../widgets/state-filter.tsx';
import { TimeAgo } from '../../widgets/time-ago.tsx';
import { useErrorGroups } from './error-queries.ts';
import type { ErrorScope } from './error-scope.ts';
import { ErrorStatusBadge, releaseLabel } from './error-status-badge.tsx';

type Filter = ErrorStatus | 'all';
const FILTERS: Array<{ value: Filter; label: string }> = [
  { value: 'open', label: 'Open' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'ignored', label: 'Ignored' },
  { value: 'all', label: 'All' },
];

/** A scope's error groups, last seen first: what, how often, since when, in which release. */
export function ErrorGroupList({ scope, hrefOf }: { scope: ErrorScope; hrefOf: (id: string) => string }) {
  const [filter, setFilter] = useState<Filter>('open');
  const groups = useErrorGroups(scope, filter === 'all' ? undefined : filter);
  const items = groups.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div>
      <div className="border-b border-slate-100 px-5 py-3">
        <StateFilter label="Show errors" value={filter} options={FILTERS} onChange={setFilter} />
      </div>
      {groups.isPending ? (
        <Loading label="Loading errors…" className="px-5" />
      ) : groups.isError ? (
        <div className="p-5">
          <ErrorAlert error={groups.error} />
        </div>
      ) : items.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-slate-500">
          {filter === 'open' ? 'No open errors. Exceptions show up here as they happen.' : 'No errors here.'}
        </p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-busy={groups.isPlaceholderData || undefined}>
          {items.map((g) => (
            <li key={g.id} className="px-5 py-3">
              <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1">
                <Link
                  to={hrefOf(g.id)}
                  className="min-w-0 font-medium break-words text-slate-900 hover:text-emerald-800 hover:underline"
                >
                  <span className="font-mono">{g.type}</span>
                  <span className="font-normal text-slate-600">: {g.message || '(no message)'}</span>
                </Link>
                <ErrorStatusBadge group={g} />
              </div>
              <p className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-500">
                <span>
                  {g.count.toLocaleString()} {g.count === 1 ? 'event' : 'events'}
                </span>
                <TimeAgo iso={g.lastSeen} prefix="last seen" />
                <TimeAgo iso={g.firstSeen} prefix="first seen" />
                {g.lastRelease && (
                  <span>
                    release {releaseLabel(g.firstRelease)}
                    {g.lastRelease.label !== g.firstRelease?.label && ` → ${releaseLabel(g.lastRelease)}`}
                  </span>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
      <LoadMore pages={groups} />
    </div>
  );
}
