import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/actor.ts';
import {
  CursorShape,
  decodeCursor,
  fetchPage,
  type Page,
  type PageQuery,
} from '../../platform/http/cursor.ts';
import { requireProjectRole } from '../projects/index.ts';
import type { DeliveryView } from './schemas.ts';
import { findWebhook, listDeliveries } from './store.ts';
import { toDeliveryView } from './views.ts';

/** A webhook's deliveries, newest first (maintainers). */
export async function listWebhookDeliveries(
  db: Queryable,
  actor: Actor,
  slug: string,
  webhookId: string,
  query: PageQuery,
): Promise<Page<DeliveryView>> {
  const { project } = await requireProjectRole(db, actor, slug, 'maintainer');
  const hook = await findWebhook(db, project.id, webhookId);
  if (!hook) throw new NotFoundError(`No webhook ${webhookId}.`);
  const after = decodeCursor(query.cursor, CursorShape.timeAndId);
  return fetchPage(
    query.limit,
    (limit) => listDeliveries(db, hook.id, limit, after),
    (r) => [r.created_at.toISOString(), r.id],
    toDeliveryView,
  );
}
