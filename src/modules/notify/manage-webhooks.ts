import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../platform/context.ts';
import { withTransaction } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { isSystemActor } from '../../platform/http/actor.ts';
import { recordAudit } from '../identity/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import type { NotifyDeps } from './deps.ts';
import { queueDelivery } from './dispatch.ts';
import type { CreateWebhookBody } from './schemas.ts';
import { deleteWebhook, findDelivery, findWebhook, insertWebhook, webhookSecretAad } from './store.ts';
import { assertWebhookUrl } from './url-guard.ts';
import { toWebhookView } from './views.ts';

/** Adds a webhook (maintainers): the URL must reach a public address unless the instance allows private ones. */
export async function createWebhook(
  res: NotifyDeps,
  ctx: RequestContext,
  slug: string,
  input: CreateWebhookBody,
) {
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'maintainer');
  const url = await assertWebhookUrl(input.url, res.config.allowPrivateWebhookTargets);
  const id = randomUUID();
  return withTransaction(res.db, async (tx) => {
    const row = await insertWebhook(tx, {
      id,
      projectId: project.id,
      url: url.toString(),
      events: [...new Set(input.events)],
      sealed: res.vault.seal(input.secret, webhookSecretAad(id)),
      active: input.active,
      createdBy: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
    });
    await recordAudit(tx, ctx, {
      action: 'webhook.create',
      target: { type: 'webhook', id },
      projectId: project.id,
      data: { url: row.url, events: row.events },
    });
    return toWebhookView(row);
  });
}

export async function removeWebhook(res: NotifyDeps, ctx: RequestContext, slug: string, id: string) {
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'maintainer');
  await withTransaction(res.db, async (tx) => {
    if (!(await deleteWebhook(tx, project.id, id))) throw new NotFoundError(`No webhook ${id} in "${slug}".`);
    await recordAudit(tx, ctx, {
      action: 'webhook.delete',
      target: { type: 'webhook', id },
      projectId: project.id,
    });
  });
}

/** Sends a stored delivery again, as a new delivery (same body, fresh signature) linked to the original. */
export async function redeliver(
  res: NotifyDeps,
  ctx: RequestContext,
  slug: string,
  webhookId: string,
  deliveryId: string,
) {
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'maintainer');
  const hook = await findWebhook(res.db, project.id, webhookId);
  const original = await findDelivery(res.db, deliveryId);
  if (!hook || !original || original.webhook_id !== hook.id)
    throw new NotFoundError(`No delivery ${deliveryId} of webhook ${webhookId}.`);
  return withTransaction(res.db, async (tx) => {
    const delivery = await queueDelivery(
      res,
      {
        webhookId: hook.id,
        projectId: project.id,
        event: original.event,
        body: original.request_body,
        redeliveryOf: original.id,
        actor: ctx.actor,
      },
      tx,
    );
    await recordAudit(tx, ctx, {
      action: 'webhook.redeliver',
      target: { type: 'webhook_delivery', id: delivery.id },
      projectId: project.id,
      data: { of: original.id },
    });
    return delivery;
  });
}
