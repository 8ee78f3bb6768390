import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage } from '../../../platform/http/cursor.ts';
import { listMemberProjectIds, requireProjectRole } from '../../projects/index.ts';
import type { ListAgentSessionsQuery } from './schemas.ts';
import { listSessions } from './session-store.ts';
import { sessionViews } from './session-views.ts';

/** Sessions of one project (`?project=`), or of every project the actor belongs to; newest first. */
export async function listAgentSessions(db: Queryable, actor: Actor, query: ListAgentSessionsQuery) {
  const projectIds = query.project
    ? [(await requireProjectRole(db, actor, query.project, 'viewer')).project.id]
    : actor.role === 'admin'
      ? null
      : await listMemberProjectIds(db, actor.userId);
  const cursor = decodeCursor(query.cursor, CursorShape.timeAndId);
  const before = cursor ? { createdAt: new Date(cursor[0]), id: cursor[1] } : undefined;
  const page = await fetchPage(
    query.limit,
    (limit) => listSessions(db, { projectIds, before, limit }),
    (r) => [r.created_at.toISOString(), r.id],
    (r) => r,
  );
  return { items: await sessionViews(db, page.items), nextCursor: page.nextCursor };
}
