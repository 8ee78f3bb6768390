import { useInfiniteQuery } from '@tanstack/react-query';
import { api, seg } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import type { Delivery } from '../api/pipeline-types.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import type { PageProps } from '../app/page-props.ts';
import { Link } from '../app/router.tsx';
import { DeliveryRow } from '../features/pipelines/pipeline-delivery.tsx';
import { useWebhooks } from '../features/pipelines/webhook-queries.ts';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { to } from '../features/projects/project-paths.ts';
import { roleAtLeast } from '../features/projects/roles.ts';
import { Alert, ErrorAlert } from '../widgets/alert.tsx';
import { Badge } from '../widgets/badge.tsx';
import { Card } from '../widgets/card.tsx';
import { LoadMore } from '../widgets/load-more.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';

/** `/projects/:slug/webhooks/:id`: a webhook's deliveries, newest first, each with redeliver. */
export function WebhookPage({ params }: PageProps) {
  const id = params.id ?? '';
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="webhooks">
      {(project) => <WebhookBody project={project} id={id} />}
    </ProjectFrame>
  );
}

function WebhookBody({ project, id }: { project: Project; id: string }) {
  const slug = project.slug;
  const allowed = roleAtLeast(project.role, 'maintainer');
  const hooks = useWebhooks(slug, allowed);
  const hook = hooks.data?.find((h) => h.id === id);
  const deliveries = useInfiniteQuery({
    queryKey: keys.deliveries(slug, id),
    queryFn: ({ pageParam }) =>
      api.get<Page<Delivery>>(`/api/projects/${seg(slug)}/webhooks/${seg(id)}/deliveries`, {
        limit: 25,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: allowed,
    refetchInterval: (q) =>
      q.state.data?.pages[0]?.items.some((d) => d.status === 'pending' || d.status === 'retrying')
        ? 3000
        : false,
  });
  const items = deliveries.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title="Webhook deliveries"
        documentTitle={`Webhook · ${project.name}`}
        meta={
          hook && (
            <>
              <code className="font-mono text-xs text-slate-700">{hook.url}</code>
              {hook.events.map((e) => (
                <Badge key={e}>{e}</Badge>
              ))}
            </>
          )
        }
        actions={
          <Link to={to.webhooks(slug)} className="text-sm font-medium text-emerald-800 hover:underline">
            All webhooks
          </Link>
        }
      />
      {!allowed ? (
        <Alert>Webhooks are managed by the project's maintainers and owners.</Alert>
      ) : hooks.isSuccess && !hook ? (
        <ErrorAlert error={new Error('This webhook does not exist (it may have been deleted).')} />
      ) : (
        <Card
          title="Deliveries"
          description="Select one to see the request, the response and each attempt."
          flush
        >
          {deliveries.isPending ? (
            <Loading label="Loading deliveries…" className="px-5" />
          ) : deliveries.isError ? (
            <div className="p-5">
              <ErrorAlert error={deliveries.error} />
            </div>
          ) : items.length === 0 ? (
            <p className="px-5 py-10 text-center text-sm text-slate-500">
              No deliveries yet: they appear when a subscribed event happens.
            </p>
          ) : (
            <ul aria-label="Deliveries" className="divide-y divide-slate-100">
              {items.map((d) => (
                <DeliveryRow key={d.id} slug={slug} hookId={id} delivery={d} />
              ))}
            </ul>
          )}
          <LoadMore pages={deliveries}>Older deliveries</LoadMore>
        </Card>
      )}
    </>
  );
}
