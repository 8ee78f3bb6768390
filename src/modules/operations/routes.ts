import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events/index.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import { createSseHub, lastEventId, wantsEventStream } from '../../platform/http/sse.ts';
import type { StreamAccess } from '../../platform/http/stream-guard.ts';
import type { Resources } from '../../platform/resources.ts';
import { requireProjectRole } from '../projects/index.ts';
import { requireOperation } from './access.ts';
import { cancelOperation } from './cancel-operation.ts';
import type { Registry } from './engine/registry.ts';
import { EventFeeds } from './events/event-feed.ts';
import type { EventScope } from './events/event-store.ts';
import { streamEvents } from './events/stream-events.ts';
import { getOperation } from './get-operation.ts';
import { readEventPage } from './list-operation-events.ts';
import { listOperations } from './list-operations.ts';
import { operationMetrics, registerQueueGauges } from './metrics.ts';
import { retryOperation } from './retry-operation.ts';
import {
  EventsQuery,
  EventView,
  ListOperationsQuery,
  OperationDetail,
  OperationEventsQuery,
  OperationIdParams,
  OperationView,
  Page,
  ProjectSlugParams,
  StartOperationBody,
} from './schemas.ts';
import { startRequestedOperation } from './start-requested-operation.ts';
import { TERMINAL } from './store.ts';
import { toOperationView } from './views.ts';

const tags = ['operations'];

export interface OperationsRouteOptions {
  /** Heartbeat comment interval of event streams (default 15 s). */
  sseHeartbeatMs?: number;
  /** Bytes a slow client may have waiting before it is served from the database again. */
  sseBufferBytes?: number;
}

export function operationsRoutes(
  res: Resources & { registry: Registry; bus: EventBus },
  options: OperationsRouteOptions = {},
) {
  const { db, registry, clock } = res;
  const metrics = operationMetrics(res.metrics);
  registerQueueGauges(
    res.metrics,
    db,
    () => clock.now(),
    () => registry.queues(),
  );
  const feeds = new EventFeeds(db, res.bus, res.logger);

  return async (app: HttpApp) => {
    const hub = createSseHub(app);

    /** JSON page of events, or — for `Accept: text/event-stream` — replay then live. */
    const events = async (
      request: FastifyRequest,
      reply: FastifyReply,
      scope: EventScope,
      query: { after?: number; limit: number; step?: string },
      end: { run?: number; terminal?: boolean },
      access: StreamAccess,
    ) => {
      const header = lastEventId(request);
      if (header !== undefined && !/^\d{1,15}$/.test(header)) {
        throw new ValidationError('Last-Event-ID must be an event id.', [
          { field: 'headers.last-event-id', message: 'must be a non-negative integer' },
        ]);
      }
      const after = header !== undefined ? Number(header) : (query.after ?? 0);
      if (!wantsEventStream(request)) {
        return readEventPage(db, scope, after, query.limit, query.step);
      }
      const stream = 'operationId' in scope ? 'operation' : 'activity';
      const sse = hub.open(request, reply, access, {
        heartbeatMs: options.sseHeartbeatMs,
        maxBufferedBytes: options.sseBufferBytes,
      });
      metrics.sseClients.inc({ stream });
      sse.signal.addEventListener('abort', () => metrics.sseClients.dec({ stream }), { once: true });
      await streamEvents(sse, {
        db,
        feeds,
        scope,
        after,
        step: query.step,
        endAfterRun: end.run,
        endWhenCaughtUp: end.terminal,
        onOverflow: () => metrics.sseOverflows.inc({ stream }),
      }).catch((error) => {
        // Dropping the connection makes the client reconnect with its Last-Event-ID.
        request.log.warn({ err: error }, 'event stream failed');
        sse.destroy();
      });
      return reply;
    };

    app.get(
      '/api/operations',
      {
        config: { delegated: true },
        schema: { tags, querystring: ListOperationsQuery, response: { 200: Page(OperationView) } },
      },
      async (request) => listOperations(db, contextOf(request).actor, request.query),
    );

    app.post(
      '/api/operations',
      { schema: { tags, body: StartOperationBody, response: { 202: OperationDetail } } },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { id } = await startRequestedOperation(db, registry, ctx, request.body, clock);
        return reply.status(202).send(await getOperation(db, id));
      },
    );

    app.get(
      '/api/operations/:id',
      {
        config: { delegated: true },
        schema: { tags, params: OperationIdParams, response: { 200: OperationDetail } },
      },
      async (request) => getOperation(db, request.params.id, { actor: contextOf(request).actor }),
    );

    app.post(
      '/api/operations/:id/cancel',
      { schema: { tags, params: OperationIdParams, response: { 200: OperationView } } },
      async (request) =>
        toOperationView(
          await cancelOperation(db, registry, contextOf(request), request.params.id, { clock }),
        ),
    );

    app.post(
      '/api/operations/:id/retry',
      { schema: { tags, params: OperationIdParams, response: { 200: OperationView } } },
      async (request) =>
        toOperationView(await retryOperation(db, registry, contextOf(request), request.params.id, { clock })),
    );

    app.get(
      '/api/operations/:id/events',
      {
        config: { delegated: true },
        schema: {
          tags,
          description:
            'Events of an operation: a JSON page, or with `Accept: text/event-stream` a live stream that replays after Last-Event-ID (or ?after=) and ends after the terminal `complete` event. `?step=` keeps one step’s events (and its fan-out children’s) with the operation’s own.',
          params: OperationIdParams,
          querystring: OperationEventsQuery,
          response: { 200: Page(EventView) },
        },
      },
      async (request, reply) => {
        const op = await requireOperation(db, contextOf(request).actor, request.params.id, 'viewer');
        return events(
          request,
          reply,
          { operationId: op.id },
          request.query,
          { run: op.run, terminal: TERMINAL.includes(op.status) },
          {
            projectId: op.project_id ?? undefined,
            check: (actor) => requireOperation(db, actor, op.id, 'viewer'),
          },
        );
      },
    );

    app.get(
      '/api/projects/:slug/activity',
      {
        config: { projectRole: 'viewer' },
        schema: {
          tags,
          description:
            'Events of every operation of a project: a JSON page, or a live stream with `Accept: text/event-stream`.',
          params: ProjectSlugParams,
          querystring: EventsQuery,
          response: { 200: Page(EventView) },
        },
      },
      async (request, reply) => {
        const { slug } = request.params;
        const viewer = (actor: Actor) =>
          requireProjectRole(db, actor, slug, 'viewer', { allowArchived: true });
        const { project } = await viewer(contextOf(request).actor);
        return events(
          request,
          reply,
          { projectId: project.id },
          request.query,
          {},
          { projectId: project.id, check: viewer },
        );
      },
    );
  };
}
