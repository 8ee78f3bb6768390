import { z } from 'zod';
import { NotFoundError } from '../../platform/errors.ts';
import { CursorShape, decodeCursor, encodeCursor, PageQuery } from '../../platform/http/cursor.ts';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import { requireProjectRole } from '../projects/index.ts';
import type { NotifyDeps } from './deps.ts';
import { createWebhook, redeliver, removeWebhook } from './manage-webhooks.ts';
import {
  CreateWebhookBody,
  DeliveryParams,
  DeliveryView,
  SlugParam,
  WebhookParams,
  WebhookView,
} from './schemas.ts';
import { findDelivery, findWebhook, listDeliveries, listWebhooks } from './store.ts';
import { toDeliveryView, toWebhookView } from './views.ts';

const tags = ['webhooks'];

/** Webhooks and their deliveries under /api/projects/:slug/webhooks (maintainers). */
export function webhookRoutes(res: NotifyDeps) {
  const { db } = res;
  return async (app: HttpApp) => {
    app.post(
      '/api/projects/:slug/webhooks',
      {
        config: { projectRole: 'maintainer' },
        schema: { tags, params: SlugParam, body: CreateWebhookBody, response: { 201: WebhookView } },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await createWebhook(res, contextOf(request), request.params.slug, request.body)),
    );
    app.get(
      '/api/projects/:slug/webhooks',
      {
        config: { projectRole: 'maintainer' },
        schema: {
          tags,
          params: SlugParam,
          response: { 200: z.object({ items: z.array(WebhookView), nextCursor: z.null() }) },
        },
      },
      async (request) => {
        const { project } = await requireProjectRole(
          db,
          contextOf(request).actor,
          request.params.slug,
          'maintainer',
        );
        return { items: (await listWebhooks(db, project.id)).map(toWebhookView), nextCursor: null };
      },
    );
    app.delete(
      '/api/projects/:slug/webhooks/:id',
      { config: { projectRole: 'maintainer' }, schema: { tags, params: WebhookParams } },
      async (request, reply) => {
        await removeWebhook(res, contextOf(request), request.params.slug, request.params.id);
        return reply.status(204).send();
      },
    );
    app.get(
      '/api/projects/:slug/webhooks/:id/deliveries',
      {
        config: { projectRole: 'maintainer' },
        schema: {
          tags,
          params: WebhookParams,
          querystring: PageQuery,
          response: { 200: z.object({ items: z.array(DeliveryView), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const { project } = await requireProjectRole(
          db,
          contextOf(request).actor,
          request.params.slug,
          'maintainer',
        );
        const hook = await findWebhook(db, project.id, request.params.id);
        if (!hook) throw new NotFoundError(`No webhook ${request.params.id}.`);
        const after = decodeCursor(request.query.cursor, CursorShape.timeAndId);
        const rows = await listDeliveries(db, hook.id, request.query.limit, after);
        const more = rows.length > request.query.limit;
        const items = rows.slice(0, request.query.limit);
        const last = items[items.length - 1];
        return {
          items: items.map(toDeliveryView),
          nextCursor: more && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
        };
      },
    );
    app.get(
      '/api/projects/:slug/webhooks/:id/deliveries/:deliveryId',
      {
        config: { projectRole: 'maintainer' },
        schema: { tags, params: DeliveryParams, response: { 200: DeliveryView } },
      },
      async (request) => {
        const { project } = await requireProjectRole(
          db,
          contextOf(request).actor,
          request.params.slug,
          'maintainer',
        );
        const delivery = await findDelivery(db, request.params.deliveryId);
        if (!delivery || delivery.project_id !== project.id || delivery.webhook_id !== request.params.id)
          throw new NotFoundError('No such delivery.');
        return toDeliveryView(delivery);
      },
    );
    app.post(
      '/api/projects/:slug/webhooks/:id/deliveries/:deliveryId/redeliver',
      {
        config: { projectRole: 'maintainer' },
        schema: { tags, params: DeliveryParams, response: { 202: DeliveryView } },
      },
      async (request, reply) =>
        reply
          .status(202)
          .send(
            toDeliveryView(
              await redeliver(
                res,
                contextOf(request),
                request.params.slug,
                request.params.id,
                request.params.deliveryId,
              ),
            ),
          ),
    );
  };
}
