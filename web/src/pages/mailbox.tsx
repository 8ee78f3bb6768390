import type { PageProps } from '../app/page-props.ts';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { useEnvironments } from '../features/environments/env-queries.ts';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { to } from '../features/projects/project-paths.ts';
import { MailMessageView } from '../features/services/mail-message-view.tsx';
import { MailboxList } from '../features/services/mailbox-list.tsx';
import { useClearMailbox, useMailbox } from '../features/services/service-queries.ts';
import { ErrorAlert } from '../widgets/alert.tsx';
import { Card } from '../widgets/card.tsx';
import { ConfirmButton } from '../widgets/confirm-button.tsx';
import { selectClass } from '../widgets/field.tsx';
import { PageHeader } from '../widgets/page-header.tsx';

/** The dev mailbox: what the project's apps sent through the email service, live. */
export function MailboxPage({ params }: PageProps) {
  const slug = params.slug ?? '';
  const { search } = useLocation();
  const env = search.get('env') ?? '';
  const open = search.get('message') ?? undefined;
  const mailbox = useMailbox(slug, env);
  const envs = useEnvironments(slug);
  const clear = useClearMailbox(slug);
  const href = (q: { env?: string; message?: string }) => {
    const query = new URLSearchParams();
    if (q.env) query.set('env', q.env);
    if (q.message) query.set('message', q.message);
    const qs = query.toString();
    return `${to.mailbox(slug)}${qs ? `?${qs}` : ''}`;
  };
  return (
    <ProjectFrame slug={slug} tab="services">
      {(project) => (
        <>
          <PageHeader
            title="Mailbox"
            documentTitle={`Mailbox · ${project.name}`}
            description="Mail the project’s apps sent through Orchard’s email service. Nothing here was delivered to anyone unless it says it was relayed."
            meta={
              <span aria-live="polite">
                {mailbox.stream === 'open' ? 'Live: new mail appears as it arrives' : 'Connecting…'}
              </span>
            }
            actions={
              <Link to={to.services(slug)} className="text-sm text-emerald-800 hover:underline">
                All services
              </Link>
            }
          />
          <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
            <Card
              flush
              title="Messages"
              actions={
                <>
                  <label className="flex items-center gap-2 text-sm text-slate-600">
                    <span>Environment</span>
                    <select
                      className={`${selectClass} w-auto`}
                      value={env}
                      onChange={(e) => navigate(href({ env: e.target.value }), { replace: true })}
                    >
                      <option value="">All</option>
                      {(envs.data?.items ?? []).map((e) => (
                        <option key={e.name} value={e.name}>
                          {e.name}
                        </option>
                      ))}
                    </select>
                  </label>
                  <ConfirmButton
                    variant="ghost"
                    size="sm"
                    question={env ? `Delete ${env}’s mail?` : 'Delete all mail?'}
                    confirmLabel="Delete"
                    busy={clear.isPending}
                    onConfirm={() =>
                      clear.mutate(env, { onSuccess: () => navigate(href({ env }), { replace: true }) })
                    }
                  >
                    Empty
                  </ConfirmButton>
                </>
              }
            >
              {clear.error && (
                <div className="p-5">
                  <ErrorAlert error={clear.error} />
                </div>
              )}
              <MailboxList mailbox={mailbox} selected={open} hrefOf={(m) => href({ env, message: m.id })} />
            </Card>
            <div>
              {open ? (
                <MailMessageView key={open} slug={slug} id={open} />
              ) : (
                <p className="rounded-lg border border-dashed border-slate-300 px-5 py-10 text-center text-sm text-slate-500">
                  Choose a message to read it.
                </p>
              )}
            </div>
          </div>
        </>
      )}
    </ProjectFrame>
  );
}
