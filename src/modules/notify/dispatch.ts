import { type DbClient, withTransaction } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { startOperation } from '../operations/index.ts';
import type { NotifyDeps } from './deps.ts';
import type { WebhookEvent } from './schemas.ts';
import { activeWebhooksFor, type DeliveryRow, insertDelivery, setDeliveryOperation } from './store.ts';

/**
 * Queues a delivery of `event` to every active webhook of the project that subscribed to it. Each
 * delivery is stored first and sent by a `webhook.deliver` operation started in the same
 * transaction (the caller's, with `tx`), so none is lost if the process stops right after.
 */
export async function dispatchWebhookEvent(
  res: NotifyDeps,
  input: { projectId: string; event: WebhookEvent; payload: Record<string, unknown>; actor?: Actor },
  tx?: DbClient,
): Promise<DeliveryRow[]> {
  const hooks = await activeWebhooksFor(tx ?? res.db, input.projectId, input.event);
  const out: DeliveryRow[] = [];
  for (const hook of hooks) {
    const body = JSON.stringify({ event: input.event, ...input.payload });
    out.push(
      await queueDelivery(
        res,
        {
          webhookId: hook.id,
          projectId: input.projectId,
          event: input.event,
          body,
          actor: input.actor,
        },
        tx,
      ),
    );
  }
  return out;
}

/** Stores one delivery and starts its operation; inside `tx` when given (the caller's transaction). */
export async function queueDelivery(
  res: NotifyDeps,
  d: {
    webhookId: string;
    projectId: string;
    event: string;
    body: string;
    redeliveryOf?: string;
    actor?: Actor;
  },
  tx?: DbClient,
): Promise<DeliveryRow> {
  return withTransaction(tx ?? res.db, async (tx) => {
    const delivery = await insertDelivery(tx, d);
    const op = await startOperation(tx, res.registry, {
      kind: 'webhook.deliver',
      input: { deliveryId: delivery.id },
      projectId: d.projectId,
      actor: d.actor,
      clock: res.clock,
    });
    await setDeliveryOperation(tx, delivery.id, op.id);
    return { ...delivery, operation_id: op.id };
  });
}
