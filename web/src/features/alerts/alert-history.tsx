import type { AlertKind } from '../../api/alert-types.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { TimeAgo } from '../../widgets/time-ago.tsx';
import { formatAlertValue, STATE_TONES } from './alert-format.ts';
import { useAlertEvents } from './alert-queries.ts';

/** A rule's state changes, newest first, with the value each was decided on. */
export function AlertHistory({ slug, id, kind }: { slug: string; id: string; kind: AlertKind }) {
  const events = useAlertEvents(slug, id);
  if (events.isPending) return <Loading label="Loading history…" className="py-2" />;
  if (events.isError) return <ErrorAlert error={events.error} />;
  if (!events.data.items.length) return <p className="text-sm text-slate-500">No state changes yet.</p>;
  return (
    <ol aria-label="History" className="space-y-1.5">
      {events.data.items.map((e) => (
        <li key={e.id} className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
          <Badge tone={STATE_TONES[e.from]}>{e.from}</Badge>
          <span aria-hidden="true">→</span>
          <Badge tone={STATE_TONES[e.to]}>{e.to}</Badge>
          <span className="text-slate-700">{formatAlertValue(kind, e.value)}</span>
          {e.silenced && <span className="text-xs text-slate-500">silenced</span>}
          <span className="text-xs text-slate-500">
            <TimeAgo iso={e.at} />
          </span>
        </li>
      ))}
    </ol>
  );
}
