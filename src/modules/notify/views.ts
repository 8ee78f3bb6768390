import type { DeliveryView } from './schemas.ts';
import type { DeliveryRow, WebhookRow } from './store.ts';

export function toWebhookView(row: WebhookRow) {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    active: row.active,
    createdAt: row.created_at.toISOString(),
  };
}

export function toDeliveryView(row: DeliveryRow): DeliveryView {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    event: row.event,
    status: row.status,
    request: { headers: row.request_headers, body: row.request_body },
    response:
      row.response_status === null
        ? null
        : { status: row.response_status, headers: row.response_headers ?? {}, body: row.response_body ?? '' },
    error: row.error,
    durationMs: row.duration_ms,
    attempts: row.attempts,
    operationId: row.operation_id,
    redeliveryOf: row.redelivery_of,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  };
}
