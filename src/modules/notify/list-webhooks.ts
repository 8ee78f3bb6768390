import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { requireProjectRole } from '../projects/index.ts';
import { listWebhookRows } from './store.ts';
import { toWebhookView } from './views.ts';

/** A project's webhooks, oldest first (maintainers: they hold the secrets' use). */
export async function listWebhooks(db: Queryable, actor: Actor, slug: string) {
  const { project } = await requireProjectRole(db, actor, slug, 'maintainer');
  return { items: (await listWebhookRows(db, project.id)).map(toWebhookView), nextCursor: null };
}
