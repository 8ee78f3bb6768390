import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage, type PageQuery } from '../../platform/http/cursor.ts';
import { mergeRequestStates } from '../reviews/index.ts';
import { requireBlueprint } from './blueprint-access.ts';
import { listFeatureRows } from './feature-store.ts';
import { toFeatureView } from './views.ts';

/** A Blueprint's features (one per build), newest first, with their merge requests' states (viewers). */
export async function listFeatures(db: Queryable, actor: Actor, blueprintId: string, query: PageQuery) {
  const { project } = await requireBlueprint(db, actor, blueprintId, 'viewer');
  const before = decodeCursor(query.cursor, CursorShape.timeAndId);
  let states = new Map<number, 'open' | 'merged' | 'closed'>();
  return fetchPage(
    query.limit,
    async (limit) => {
      const rows = await listFeatureRows(db, blueprintId, limit, before);
      const numbers = rows.flatMap((r) => (r.merge_request_number === null ? [] : [r.merge_request_number]));
      states = await mergeRequestStates(db, project.id, numbers);
      return rows;
    },
    (r) => [r.created_at.toISOString(), r.id],
    (r) =>
      toFeatureView(r, r.merge_request_number === null ? null : (states.get(r.merge_request_number) ?? null)),
  );
}
