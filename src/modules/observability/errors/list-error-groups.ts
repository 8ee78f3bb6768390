import type { RequestContext } from '../../../platform/context.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { CursorShape, decodeCursor, fetchPage } from '../../../platform/http/cursor.ts';
import { requireEnvironment } from '../require-environment.ts';
import { requireInstanceErrors } from './error-access.ts';
import { listGroupRows } from './error-store.ts';
import type { ErrorGroupsQuery } from './schemas.ts';
import { toErrorGroupView } from './views.ts';

/** An environment's error groups, last seen first. */
export async function listEnvironmentErrorGroups(
  db: Queryable,
  ctx: RequestContext,
  where: { slug: string; env: string },
  query: ErrorGroupsQuery,
) {
  const { environment } = await requireEnvironment(db, ctx.actor, where, 'viewer');
  return pageOf(db, environment.id, query);
}

/** Orchard's own error groups (server, operations, its UI), last seen first; admins only. */
export async function listInstanceErrorGroups(db: Queryable, ctx: RequestContext, query: ErrorGroupsQuery) {
  requireInstanceErrors(ctx);
  return pageOf(db, 'instance', query);
}

function pageOf(db: Queryable, scope: string, query: ErrorGroupsQuery) {
  const after = decodeCursor(query.cursor, CursorShape.timeAndId);
  return fetchPage(
    query.limit,
    (limit) => listGroupRows(db, scope, { status: query.status, after, limit }),
    (row) => [row.last_seen.toISOString(), row.id],
    toErrorGroupView,
  );
}
