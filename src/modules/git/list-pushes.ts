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
import type { PushView } from './schemas.ts';
import { listPushEvents } from './store.ts';

/** A project's pushes, newest first (viewers). */
export async function listPushes(
  db: Queryable,
  actor: Actor,
  slug: string,
  query: PageQuery,
): Promise<Page<PushView>> {
  const { project } = await requireProjectRole(db, actor, slug, 'viewer');
  const before = decodeCursor(query.cursor, CursorShape.serial)?.[0];
  return fetchPage(
    query.limit,
    (limit) => listPushEvents(db, project.id, limit, before),
    (r) => [r.id],
    (r) => ({
      id: r.id,
      actor: r.actor_name,
      ref: r.ref,
      before: r.old_sha,
      after: r.new_sha,
      headCommit: r.head_commit,
      createdAt: r.created_at.toISOString(),
    }),
  );
}
