import type { RequestContext } from '../../../platform/context.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { requireEnvironment } from '../require-environment.ts';
import { requireGroup, requireInstanceErrors } from './error-access.ts';
import { listOccurrenceRows } from './error-store.ts';
import { OCCURRENCES_KEPT } from './record-errors.ts';
import { toErrorGroupView, toErrorOccurrenceView } from './views.ts';

/** One group of an environment with its newest occurrences. */
export async function getEnvironmentErrorGroup(
  db: Queryable,
  ctx: RequestContext,
  where: { slug: string; env: string; id: string },
) {
  const { environment } = await requireEnvironment(db, ctx.actor, where, 'viewer');
  return detail(db, where.id, environment.id);
}

/** One of Orchard's own groups with its newest occurrences; admins only. */
export async function getInstanceErrorGroup(db: Queryable, ctx: RequestContext, id: string) {
  requireInstanceErrors(ctx);
  return detail(db, id, null);
}

async function detail(db: Queryable, id: string, environmentId: string | null) {
  const group = await requireGroup(db, id, environmentId);
  const occurrences = await listOccurrenceRows(db, group.id, OCCURRENCES_KEPT);
  return { group: toErrorGroupView(group), occurrences: occurrences.map(toErrorOccurrenceView) };
}
