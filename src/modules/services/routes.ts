import { NotFoundError } from '../../platform/errors.ts';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import { createSseHub, wantsEventStream } from '../../platform/http/sse.ts';
import type { Registry } from '../operations/index.ts';
import { readAnalyticsStats } from './analytics/read-analytics-stats.ts';
import { attachService } from './attach-service.ts';
import type { ServicesDeps } from './deps.ts';
import { detachService } from './detach-service.ts';
import { integrateService } from './integrate/integrate-service.ts';
import { listCatalog } from './list-catalog.ts';
import { listProjectServices } from './list-project-services.ts';
import { clearMailbox } from './mail/clear-mailbox.ts';
import { followMailbox } from './mail/follow-mailbox.ts';
import { listMailbox } from './mail/list-mailbox.ts';
import { requireMailbox } from './mail/mailbox-access.ts';
import { readMailMessage } from './mail/read-mail-message.ts';
import {
  AnalyticsQuery,
  AnalyticsStats,
  AttachBody,
  CatalogView,
  IntegrateStarted,
  MailboxCleared,
  MailboxClearQuery,
  MailboxLatest,
  MailboxPage,
  MailboxQuery,
  MailMessage,
  MailParams,
  ProjectServiceList,
  ProjectServiceView,
  ServiceParams,
  SlugParams,
} from './schemas.ts';

const tags = ['services'];
const MAILBOX_AGENTS =
  "Agent tokens cannot read the mailbox: it holds what the project's apps sent their users (sign-in links, codes)";

/** The services catalog, a project's attached services, its mailbox, analytics and integrations. */
export function serviceRoutes(deps: ServicesDeps & { registry: Registry }) {
  const { db } = deps;
  const projectService = async (
    actor: Parameters<typeof listProjectServices>[1],
    slug: string,
    id: string,
  ) => {
    const found = (await listProjectServices(deps, actor, slug)).items.find((s) => s.id === id);
    if (!found) throw new NotFoundError(`No service "${id}".`);
    return found;
  };
  return async (app: HttpApp) => {
    const hub = createSseHub(app);

    app.get(
      '/api/services',
      {
        schema: {
          tags,
          description:
            'The platform services catalog: what each gives an app, and whether this Orchard offers it.',
          response: { 200: CatalogView },
        },
      },
      async () => listCatalog(deps),
    );

    app.get(
      '/api/projects/:slug/services',
      { schema: { tags, params: SlugParams, response: { 200: ProjectServiceList } } },
      async (request) => listProjectServices(deps, contextOf(request).actor, request.params.slug),
    );

    app.post(
      '/api/projects/:slug/services',
      {
        config: { projectRole: 'maintainer' },
        schema: {
          tags,
          description:
            'Attach a service (or change its settings). Each environment gets its variables and credentials at its next start.',
          params: SlugParams,
          body: AttachBody,
          response: { 200: ProjectServiceView, 201: ProjectServiceView },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { created } = await attachService(deps, ctx, request.params.slug, request.body);
        const view = await projectService(ctx.actor, request.params.slug, request.body.id);
        return reply.status(created ? 201 : 200).send(view);
      },
    );

    app.get(
      '/api/projects/:slug/services/:id',
      { schema: { tags, params: ServiceParams, response: { 200: ProjectServiceView } } },
      async (request) => projectService(contextOf(request).actor, request.params.slug, request.params.id),
    );

    app.delete(
      '/api/projects/:slug/services/:id',
      { config: { projectRole: 'maintainer' }, schema: { tags, params: ServiceParams } },
      async (request, reply) => {
        await detachService(deps, contextOf(request), request.params.slug, request.params.id);
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/projects/:slug/services/:id/integrate',
      {
        schema: {
          tags,
          description:
            'Open a merge request from `orchard/service-<id>` that wires the attached service into the app (an operation).',
          params: ServiceParams,
          response: { 202: IntegrateStarted },
        },
      },
      async (request, reply) =>
        reply
          .status(202)
          .send(
            await integrateService(
              deps,
              deps.registry,
              contextOf(request),
              request.params.slug,
              request.params.id,
            ),
          ),
    );

    app.get(
      '/api/projects/:slug/services/analytics/stats',
      {
        schema: {
          tags,
          description: 'Page views per day (UTC) and the most viewed paths, counted by the app proxy.',
          params: SlugParams,
          querystring: AnalyticsQuery,
          response: { 200: AnalyticsStats },
        },
      },
      async (request) =>
        readAnalyticsStats(deps, contextOf(request).actor, request.params.slug, request.query),
    );

    app.get(
      '/api/projects/:slug/mailbox',
      {
        config: { projectRole: 'developer', delegated: MAILBOX_AGENTS },
        schema: { tags, params: SlugParams, querystring: MailboxQuery, response: { 200: MailboxPage } },
      },
      async (request) => listMailbox(db, contextOf(request).actor, request.params.slug, request.query),
    );

    app.delete(
      '/api/projects/:slug/mailbox',
      {
        config: { projectRole: 'developer', delegated: MAILBOX_AGENTS },
        schema: {
          tags,
          params: SlugParams,
          querystring: MailboxClearQuery,
          response: { 200: MailboxCleared },
        },
      },
      async (request) => clearMailbox(db, contextOf(request), request.params.slug, request.query.env),
    );

    app.get(
      '/api/projects/:slug/mailbox/stream',
      {
        config: { projectRole: 'developer', delegated: MAILBOX_AGENTS },
        schema: {
          tags,
          description:
            'With `Accept: text/event-stream`, a `mail` event with each new message’s summary; otherwise the newest message, as JSON.',
          params: SlugParams,
          querystring: MailboxClearQuery,
        },
      },
      async (request, reply) => {
        const { actor } = contextOf(request);
        const { slug } = request.params;
        const { project, environment } = await requireMailbox(db, actor, slug, request.query.env);
        if (!wantsEventStream(request)) {
          const page = await listMailbox(db, actor, slug, { env: request.query.env, limit: 1 });
          return reply.send(MailboxLatest.parse({ latest: page.items[0] ?? null }));
        }
        const stream = hub.open(request, reply, {
          projectId: project.id,
          check: (fresh) => requireMailbox(db, fresh, slug),
        });
        await followMailbox(deps, { projectId: project.id, environmentId: environment?.id }, stream);
        return reply;
      },
    );

    app.get(
      '/api/projects/:slug/mailbox/:id',
      {
        config: { projectRole: 'developer', delegated: MAILBOX_AGENTS },
        schema: { tags, params: MailParams, response: { 200: MailMessage } },
      },
      async (request) =>
        readMailMessage(db, contextOf(request).actor, request.params.slug, request.params.id),
    );
  };
}
