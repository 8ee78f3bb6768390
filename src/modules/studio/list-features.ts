import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage, type PageQuery } from '../../platform/http/cursor.ts';
import { requireBlueprint } from './blueprint-access.ts';
import { listFeatureRows } from './feature-store.ts';
import { toFeatureView } from './views.ts';

/** A Blueprint's features (one per build), newest first (viewers). */
export async function listFeatures(db: Queryable, actor: Actor, blueprintId: string, query: PageQuery) {
  await requireBlueprint(db, actor, blueprintId, 'viewer');
  const before = decodeCursor(query.cursor, CursorShape.timeAndId);
  return fetchPage(
    query.limit,
    (limit) => listFeatureRows(db, blueprintId, limit, before),
    (r) => [r.created_at.toISOString(), r.id],
    toFeatureView,
  );
}
