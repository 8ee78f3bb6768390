import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { requireProjectRole } from '../projects/index.ts';
import type { DeliveryView } from './schemas.ts';
import { findDelivery } from './store.ts';
import { toDeliveryView } from './views.ts';

/** One delivery of a project's webhook, with the request sent and the response (maintainers). */
export async function getWebhookDelivery(
  db: Queryable,
  actor: Actor,
  slug: string,
  webhookId: string,
  deliveryId: string,
): Promise<DeliveryView> {
  const { project } = await requireProjectRole(db, actor, slug, 'maintainer');
  const delivery = await findDelivery(db, deliveryId);
  if (!delivery || delivery.project_id !== project.id || delivery.webhook_id !== webhookId)
    throw new NotFoundError('No such delivery.');
  return toDeliveryView(delivery);
}
