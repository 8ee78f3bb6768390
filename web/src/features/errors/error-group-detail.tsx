import type { ReactNode } from 'react';
import type { ErrorGroupDetail, ErrorOccurrence, ErrorStatus } from '../../api/error-types.ts';
import { ErrorAlert, FormError } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { Card } from '../../widgets/card.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { TimeAgo } from '../../widgets/time-ago.tsx';
import { useErrorGroup, useSetErrorStatus } from './error-queries.ts';
import type { ErrorScope } from './error-scope.ts';
import { ErrorStatusBadge, releaseLabel } from './error-status-badge.tsx';
import { StackTrace } from './stack-trace.tsx';
import { TraceRef } from './trace-ref.tsx';

/** One error group: what and where (the stack), how often and since which release, its occurrences. */
export function ErrorGroupDetailView({
  scope,
  id,
  canChange,
}: {
  scope: ErrorScope;
  id: string;
  /** Developers and above (admins for Orchard's own): resolve, ignore, reopen. */
  canChange: boolean;
}) {
  const detail = useErrorGroup(scope, id);
  if (detail.isPending) return <Loading label="Loading the error…" />;
  if (detail.isError) return <ErrorAlert error={detail.error} />;
  const { group, occurrences } = detail.data;
  return (
    <div className="space-y-6">
      <Card
        title={group.type}
        description={<span className="[overflow-wrap:anywhere]">{group.message || '(no message)'}</span>}
        actions={
          canChange ? <StatusActions scope={scope} group={group} /> : <ErrorStatusBadge group={group} />
        }
      >
        <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-4">
          <Fact label="Events">{group.count.toLocaleString()}</Fact>
          <Fact label="First seen">
            <TimeAgo iso={group.firstSeen} />
            {group.firstRelease && ` in ${releaseLabel(group.firstRelease)}`}
          </Fact>
          <Fact label="Last seen">
            <TimeAgo iso={group.lastSeen} />
            {group.lastRelease && ` in ${releaseLabel(group.lastRelease)}`}
          </Fact>
          <Fact label="Status">
            <ErrorStatusBadge group={group} />
            {group.regressedAt && (
              <span className="ml-2 text-xs text-slate-500">
                came back <TimeAgo iso={group.regressedAt} />
              </span>
            )}
          </Fact>
        </dl>
        {group.lastStack && (
          <div className="mt-5">
            <h3 className="mb-2 text-sm font-medium text-slate-900">Stack trace (latest)</h3>
            <StackTrace stack={group.lastStack} />
          </div>
        )}
      </Card>
      <Card title="Occurrences" description={`The newest ${occurrences.length} kept, newest first.`} flush>
        <ul className="divide-y divide-slate-100">
          {occurrences.map((o) => (
            <OccurrenceRow key={o.id} scope={scope} occurrence={o} />
          ))}
        </ul>
      </Card>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-slate-900">{children}</dd>
    </div>
  );
}

const ACTIONS: Array<{ status: ErrorStatus; label: string; when: ErrorStatus[] }> = [
  { status: 'resolved', label: 'Resolve', when: ['open', 'ignored'] },
  { status: 'ignored', label: 'Ignore', when: ['open', 'resolved'] },
  { status: 'open', label: 'Reopen', when: ['resolved', 'ignored'] },
];

function StatusActions({ scope, group }: { scope: ErrorScope; group: ErrorGroupDetail['group'] }) {
  const change = useSetErrorStatus(scope, group.id);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <ErrorStatusBadge group={group} />
      {ACTIONS.filter((a) => a.when.includes(group.status)).map((a) => (
        <Button
          key={a.status}
          variant="secondary"
          size="sm"
          busy={change.isPending && change.variables === a.status}
          onClick={() => change.mutate(a.status)}
        >
          {a.label}
        </Button>
      ))}
      {change.isError && <FormError error={change.error} />}
    </div>
  );
}

function OccurrenceRow({ scope, occurrence: o }: { scope: ErrorScope; occurrence: ErrorOccurrence }) {
  const attributes = Object.entries(o.attributes);
  return (
    <li className="px-5 py-3 text-sm">
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <TimeAgo iso={o.time} />
        <span className="min-w-0 [overflow-wrap:anywhere] text-slate-700">{o.message}</span>
        {o.release && <span className="text-xs text-slate-500">release {releaseLabel(o.release)}</span>}
        {o.traceId && <TraceRef scope={scope} traceId={o.traceId} />}
      </div>
      {(o.stack || attributes.length > 0) && (
        <details className="mt-2">
          <summary className="cursor-pointer text-xs text-slate-500 hover:text-slate-800">Details</summary>
          {attributes.length > 0 && (
            <dl className="mt-2 grid grid-cols-1 gap-x-4 gap-y-1 text-xs sm:grid-cols-[max-content_1fr]">
              {attributes.map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="font-mono text-slate-500">{k}</dt>
                  <dd className="font-mono break-all text-slate-800">
                    {typeof v === 'string' ? v : JSON.stringify(v)}
                  </dd>
                </div>
              ))}
            </dl>
          )}
          {o.stack && (
            <div className="mt-2">
              <StackTrace stack={o.stack} label="Stack trace of this occurrence" />
            </div>
          )}
        </details>
      )}
    </li>
  );
}
