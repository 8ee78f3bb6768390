import { z } from 'zod';

export const WEBHOOK_EVENTS = ['push', 'issue', 'merge_request', 'pipeline', 'check_run'] as const;
export const WebhookEvent = z.enum(WEBHOOK_EVENTS);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

export const SlugParam = z.object({ slug: z.string().min(1).max(100) });
export const WebhookParams = SlugParam.extend({ id: z.uuid() });
export const DeliveryParams = WebhookParams.extend({ deliveryId: z.uuid() });

export const CreateWebhookBody = z.object({
  url: z.string().min(1).max(2000),
  secret: z.string().min(8, 'must be at least 8 characters').max(256),
  events: z.array(WebhookEvent).min(1, 'name at least one event').max(WEBHOOK_EVENTS.length),
  active: z.boolean().default(true),
});
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;

export const WebhookView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
});

const Attempt = z.object({
  at: z.string(),
  status: z.number().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
});

export const DeliveryView = z.object({
  id: z.string(),
  webhookId: z.string(),
  event: z.string(),
  status: z.enum(['pending', 'retrying', 'success', 'failed']),
  request: z.object({ headers: z.record(z.string(), z.string()), body: z.string() }),
  response: z
    .object({ status: z.number(), headers: z.record(z.string(), z.string()), body: z.string() })
    .nullable(),
  error: z.string().nullable(),
  durationMs: z.number().nullable(),
  attempts: z.array(Attempt),
  operationId: z.string().nullable(),
  redeliveryOf: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type DeliveryView = z.infer<typeof DeliveryView>;
