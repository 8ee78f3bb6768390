import type { MailSummary } from '../../api/service-types.ts';
import { Link } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { LoadMore } from '../../widgets/load-more.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { TimeAgo } from '../../widgets/time-ago.tsx';
import type { useMailbox } from './service-queries.ts';

/** The mailbox's messages, newest first; the open one is marked. */
export function MailboxList({
  mailbox,
  selected,
  hrefOf,
}: {
  mailbox: ReturnType<typeof useMailbox>;
  selected: string | undefined;
  hrefOf: (m: MailSummary) => string;
}) {
  const { pages } = mailbox;
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  if (pages.isPending) return <Loading label="Loading the mailbox…" className="px-5" />;
  if (pages.isError)
    return (
      <div className="p-5">
        <ErrorAlert error={pages.error} />
      </div>
    );
  if (!items.length)
    return (
      <p className="px-5 py-10 text-center text-sm text-slate-500">
        No mail yet. What the project’s apps send through the email service shows up here as it arrives.
      </p>
    );
  return (
    <>
      <ul className="divide-y divide-slate-100" aria-label="Messages">
        {items.map((m) => (
          <li key={m.id}>
            <Link
              to={hrefOf(m)}
              aria-current={m.id === selected ? 'true' : undefined}
              className="block px-5 py-3 hover:bg-slate-50 aria-[current=true]:bg-emerald-50"
            >
              <span className="flex flex-wrap items-baseline justify-between gap-x-3">
                <span className="min-w-0 font-medium break-words text-slate-900">
                  {m.subject || '(no subject)'}
                </span>
                <span className="text-xs text-slate-500">
                  <TimeAgo iso={m.receivedAt} />
                </span>
              </span>
              <span className="mt-0.5 block text-xs break-all text-slate-500">
                {m.from} → {m.to.join(', ')} · {m.environment}
              </span>
              {m.preview && <span className="mt-1 block truncate text-sm text-slate-600">{m.preview}</span>}
            </Link>
          </li>
        ))}
      </ul>
      <LoadMore pages={pages} />
    </>
  );
}
