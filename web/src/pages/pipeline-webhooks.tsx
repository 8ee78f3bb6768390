import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../api/client.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import type { PageProps } from '../app/page-props.ts';
import { Link } from '../app/router.tsx';
import { WebhookForm } from '../features/pipelines/pipeline-webhook-form.tsx';
import { useWebhooks } from '../features/pipelines/webhook-queries.ts';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { to } from '../features/projects/project-paths.ts';
import { roleAtLeast } from '../features/projects/roles.ts';
import { Alert, ErrorAlert } from '../widgets/alert.tsx';
import { Badge } from '../widgets/badge.tsx';
import { Card } from '../widgets/card.tsx';
import { ConfirmButton } from '../widgets/confirm-button.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { TimeAgo } from '../widgets/time-ago.tsx';

/** `/projects/:slug/webhooks`: where Orchard tells other systems what happened (maintainers). */
export function WebhooksPage({ params }: PageProps) {
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="webhooks">
      {(project) => <WebhooksBody project={project} />}
    </ProjectFrame>
  );
}

function WebhooksBody({ project }: { project: Project }) {
  const slug = project.slug;
  const client = useQueryClient();
  const allowed = roleAtLeast(project.role, 'maintainer');
  const hooks = useWebhooks(slug, allowed);
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/api/projects/${seg(slug)}/webhooks/${seg(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.webhooks(slug) }),
  });
  const header = (
    <PageHeader
      title="Webhooks"
      documentTitle={`Webhooks · ${project.name}`}
      description="Orchard POSTs a signed JSON payload to each URL when its events happen, retries failures with backoff, and keeps every delivery."
    />
  );
  if (!allowed)
    return (
      <>
        {header}
        <Alert>Webhooks are managed by the project's maintainers and owners.</Alert>
      </>
    );
  return (
    <>
      {header}
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-3">
        <Card title="Webhooks" flush className="lg:col-span-2">
          {remove.isError && (
            <div className="px-5 pt-4">
              <ErrorAlert error={remove.error} />
            </div>
          )}
          {hooks.isPending ? (
            <Loading label="Loading webhooks…" className="px-5" />
          ) : hooks.isError ? (
            <div className="p-5">
              <ErrorAlert error={hooks.error} />
            </div>
          ) : hooks.data.length === 0 ? (
            <p className="px-5 py-10 text-center text-sm text-slate-500">
              No webhooks yet. Add one with the form beside this list.
            </p>
          ) : (
            <ul aria-label="Webhooks" className="divide-y divide-slate-100">
              {hooks.data.map((h) => (
                <li key={h.id} className="flex items-center gap-4 px-5 py-3">
                  <div className="min-w-0 flex-1">
                    <Link
                      to={to.webhook(slug, h.id)}
                      className="block truncate font-mono text-sm text-slate-900 hover:text-emerald-800 hover:underline"
                    >
                      {h.url}
                    </Link>
                    <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs text-slate-500">
                      {h.events.map((e) => (
                        <Badge key={e}>{e}</Badge>
                      ))}
                      {!h.active && <Badge tone="amber">inactive</Badge>}
                      <span>
                        · added <TimeAgo iso={h.createdAt} />
                      </span>
                    </div>
                  </div>
                  <Link
                    to={to.webhook(slug, h.id)}
                    className="shrink-0 text-sm font-medium text-emerald-800 hover:underline"
                  >
                    Deliveries
                  </Link>
                  <ConfirmButton
                    variant="ghost"
                    size="sm"
                    aria-label={`Delete webhook ${h.url}`}
                    question="Delete?"
                    confirmLabel="Delete"
                    busy={remove.isPending && remove.variables === h.id}
                    onConfirm={() => remove.mutate(h.id)}
                  >
                    Delete
                  </ConfirmButton>
                </li>
              ))}
            </ul>
          )}
        </Card>
        {!project.archived && (
          <Card title="Add a webhook">
            <WebhookForm slug={slug} />
          </Card>
        )}
      </div>
    </>
  );
}
