import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import {
  CursorShape,
  decodeCursor,
  fetchPage,
  type Page,
  type PageQuery,
} from '../../../platform/http/cursor.ts';
import { requireBlueprint } from '../blueprint-access.ts';
import type { ReferenceView } from './reference-schemas.ts';
import { listReferenceRows } from './reference-store.ts';
import { toReferenceView } from './reference-view.ts';

/** A Blueprint's design references, newest first (viewers). */
export async function listDesignReferences(
  db: Queryable,
  actor: Actor,
  blueprintId: string,
  query: PageQuery,
): Promise<Page<ReferenceView>> {
  await requireBlueprint(db, actor, blueprintId, 'viewer');
  const before = decodeCursor(query.cursor, CursorShape.timeAndId);
  return fetchPage(
    query.limit,
    (limit) => listReferenceRows(db, blueprintId, limit, before),
    (r) => [r.created_at.toISOString(), r.id],
    toReferenceView,
  );
}
