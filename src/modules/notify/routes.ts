import { z } from 'zod';
import { PageQuery } from '../../platform/http/cursor.ts';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import type { NotifyDeps } from './deps.ts';
import { getWebhookDelivery } from './get-webhook-delivery.ts';
import { listWebhookDeliveries } from './list-webhook-deliveries.ts';
import { listWebhooks } from './list-webhooks.ts';
import { createWebhook, redeliver, removeWebhook } from './manage-webhooks.ts';
import {
  CreateWebhookBody,
  DeliveryParams,
  DeliveryView,
  SlugParam,
  WebhookParams,
  WebhookView,
} from './schemas.ts';
import { toDeliveryView } from './views.ts';

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
      async (request) => listWebhooks(db, contextOf(request).actor, request.params.slug),
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
      async (request) =>
        listWebhookDeliveries(
          db,
          contextOf(request).actor,
          request.params.slug,
          request.params.id,
          request.query,
        ),
    );
    app.get(
      '/api/projects/:slug/webhooks/:id/deliveries/:deliveryId',
      {
        config: { projectRole: 'maintainer' },
        schema: { tags, params: DeliveryParams, response: { 200: DeliveryView } },
      },
      async (request) =>
        getWebhookDelivery(
          db,
          contextOf(request).actor,
          request.params.slug,
          request.params.id,
          request.params.deliveryId,
        ),
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
