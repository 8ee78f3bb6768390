import type { Db } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage, type Page } from '../../platform/http/cursor.ts';
import { DELEGATED_MAX_ROLE, roleAtMost } from './access.ts';
import type { ProjectView } from './schemas.ts';
import { listProjectsFor } from './store.ts';
import { toProjectView } from './views.ts';

/** Projects the actor is a member of (admins: all; an agent token: its one project), newest first. */
export async function listProjects(
  db: Db,
  actor: Actor,
  query: { limit: number; cursor?: string; archived: boolean; q?: string },
): Promise<Page<ProjectView>> {
  const after = decodeCursor(query.cursor, CursorShape.timeAndId);
  return fetchPage(
    query.limit,
    (limit) =>
      listProjectsFor(db, {
        userId: actor.userId,
        all: actor.role === 'admin' && !actor.delegation,
        onlyProjectId: actor.delegation?.projectId,
        archived: query.archived,
        search: query.q,
        limit,
        after,
      }),
    (r) => [r.created_at.toISOString(), r.id],
    (r) =>
      toProjectView(
        r,
        actor.delegation
          ? roleAtMost(r.member_role ?? 'viewer', DELEGATED_MAX_ROLE)
          : actor.role === 'admin'
            ? 'owner'
            : (r.member_role ?? 'viewer'),
      ),
  );
}
