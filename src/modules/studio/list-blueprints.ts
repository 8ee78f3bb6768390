import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import {
  CursorShape,
  decodeCursor,
  fetchPage,
  type Page,
  type PageQuery,
} from '../../platform/http/cursor.ts';
import { requireProjectRole } from '../projects/index.ts';
import type { BlueprintView } from './schemas.ts';
import { listBlueprintRows } from './store.ts';
import { toBlueprintView } from './views.ts';

/** A project's Blueprints, newest first (viewers). */
export async function listBlueprints(
  db: Queryable,
  actor: Actor,
  slug: string,
  query: PageQuery,
): Promise<Page<BlueprintView>> {
  const { project } = await requireProjectRole(db, actor, slug, 'viewer');
  const before = decodeCursor(query.cursor, CursorShape.timeAndId);
  return fetchPage(
    query.limit,
    (limit) => listBlueprintRows(db, project.id, limit, before),
    (r) => [r.created_at.toISOString(), r.id],
    toBlueprintView,
  );
}
