import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, seg } from '../../api/client.ts';
import type { Delivery } from '../../api/pipeline-types.ts';
import { keys } from '../../api/query-keys.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { formatDateTime, formatDuration } from '../../widgets/format.ts';
import { TimeAgo } from '../../widgets/time-ago.tsx';

const TONE = { success: 'green', failed: 'red', retrying: 'amber', pending: 'neutral' } as const;

function prettyBody(body: string) {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** One delivery as a row that opens to its request, response and attempts, with "Redeliver". */
export function DeliveryRow({
  slug,
  hookId,
  delivery,
}: {
  slug: string;
  hookId: string;
  delivery: Delivery;
}) {
  const [open, setOpen] = useState(false);
  const client = useQueryClient();
  const redeliver = useMutation({
    mutationFn: () =>
      api.post<Delivery>(
        `/api/projects/${seg(slug)}/webhooks/${seg(hookId)}/deliveries/${seg(delivery.id)}/redeliver`,
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.deliveries(slug, hookId) }),
  });
  const d = delivery;
  return (
    <li className="text-sm">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        className="flex w-full items-center gap-3 px-5 py-2.5 text-left hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-emerald-600"
      >
        <svg
          viewBox="0 0 20 20"
          aria-hidden="true"
          className={`size-4 shrink-0 text-slate-400 transition ${open ? 'rotate-90' : ''}`}
          fill="currentColor"
        >
          <path d="M7.5 5 13 10l-5.5 5z" />
        </svg>
        <Badge tone={TONE[d.status]}>{d.status}</Badge>
        <span className="font-medium text-slate-900">{d.event}</span>
        {d.redeliveryOf && <span className="text-xs text-slate-400">redelivery</span>}
        <span className="ml-auto font-mono text-xs text-slate-600">
          {d.response ? `HTTP ${d.response.status}` : (d.error ?? '—')}
        </span>
        <span className="w-20 text-right text-xs text-slate-500">{formatDuration(d.durationMs)}</span>
        <span className="w-32 text-right text-xs text-slate-500">
          <TimeAgo iso={d.createdAt} />
        </span>
      </button>
      {open && (
        <div className="space-y-4 border-t border-slate-100 bg-slate-50/60 px-5 py-4">
          <div className="flex flex-wrap items-center gap-3 text-xs text-slate-500">
            <span className="font-mono">{d.id}</span>
            {d.deliveredAt && <span>delivered {formatDateTime(d.deliveredAt)}</span>}
            <Button
              size="sm"
              variant="secondary"
              className="ml-auto"
              busy={redeliver.isPending}
              onClick={() => redeliver.mutate()}
            >
              Redeliver
            </Button>
          </div>
          {redeliver.isError && <ErrorAlert error={redeliver.error} />}
          {redeliver.isSuccess && (
            <p className="text-xs text-emerald-700">Queued again; the new delivery appears at the top.</p>
          )}
          {d.error && <ErrorAlert error={new Error(d.error)} />}
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <Exchange title="Request" headers={d.request.headers} body={prettyBody(d.request.body)} />
            {d.response ? (
              <Exchange
                title={`Response · ${d.response.status}`}
                headers={d.response.headers}
                body={d.response.body}
              />
            ) : (
              <div>
                <h4 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
                  Response
                </h4>
                <p className="text-sm text-slate-500">None{d.status === 'pending' ? ' yet' : ''}.</p>
              </div>
            )}
          </div>
          {d.attempts.length > 0 && (
            <div>
              <h4 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Attempts</h4>
              <ol className="space-y-0.5 text-xs text-slate-600">
                {d.attempts.map((a, i) => (
                  <li key={a.at}>
                    {i + 1}. {formatDateTime(a.at)} —{' '}
                    {a.status !== null ? `HTTP ${a.status}` : (a.error ?? 'no answer')} in{' '}
                    {formatDuration(a.durationMs)}
                  </li>
                ))}
              </ol>
            </div>
          )}
        </div>
      )}
    </li>
  );
}

function Exchange({
  title,
  headers,
  body,
}: {
  title: string;
  headers: Record<string, string>;
  body: string;
}) {
  return (
    <div className="min-w-0">
      <h4 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h4>
      <dl className="mb-2 grid grid-cols-[auto_1fr] gap-x-3 font-mono text-xs">
        {Object.entries(headers).map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-slate-500">{k}</dt>
            <dd className="break-all text-slate-800">{v}</dd>
          </div>
        ))}
      </dl>
      <pre className="max-h-72 overflow-auto rounded-md bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100">
        {body || '(empty body)'}
      </pre>
    </div>
  );
}
