import type { AuditEvent } from '../../api/admin-types.ts';
import { TimeAgo } from '../../widgets/time-ago.tsx';

/** The details of an entry as one line (who an agent acted for is shown with the actor). */
function detailsOf(event: AuditEvent): string {
  const { onBehalfOf: _, ...rest } = event.data;
  return Object.keys(rest).length ? JSON.stringify(rest) : '';
}

/** One audit entry: when, who (and for whom), what, on what, and its details. */
export function AuditRow({ event }: { event: AuditEvent }) {
  const details = detailsOf(event);
  return (
    <tr className="align-top">
      <td data-label="When" className="px-5 py-2 whitespace-nowrap text-slate-600">
        <TimeAgo iso={event.at} />
      </td>
      <td data-label="Actor" className="px-5 py-2">
        <p className="text-slate-900">{event.actor.name ?? 'Orchard'}</p>
        {event.ip && <p className="font-mono text-[11px] text-slate-400">{event.ip}</p>}
      </td>
      <td data-label="Action" className="px-5 py-2 font-mono text-xs text-slate-800">
        {event.action}
      </td>
      <td data-label="Target" className="px-5 py-2 text-xs text-slate-600">
        <p>{event.target.type}</p>
        {event.target.id && (
          <p className="font-mono text-[11px] break-all text-slate-400">{event.target.id}</p>
        )}
      </td>
      <td data-label="Details" className="px-5 py-2">
        {details && (
          <code title={details} className="line-clamp-2 font-mono text-[11px] break-all text-slate-600">
            {details}
          </code>
        )}
      </td>
    </tr>
  );
}
