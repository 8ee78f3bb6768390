import type { Db } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage, type Page } from '../../platform/http/cursor.ts';
import { listRecentProjects } from './list-recent-projects.ts';
import type { ProjectOverviews } from './project-overviews.ts';
import type { ProjectListItem } from './schemas.ts';
import { listProjectsFor } from './store.ts';
import { toListedProjectView, withOverviews } from './views.ts';

/**
 * Projects the actor is a member of (admins: all; an agent token: its one project), newest first
 * or (`sort: 'activity'`) most recently active first, each with its overview.
 */
export async function listProjects(
  db: Db,
  overviews: ProjectOverviews,
  actor: Actor,
  query: {
    limit: number;
    cursor?: string;
    archived: boolean;
    q?: string;
    sort?: 'created' | 'activity';
  },
): Promise<Page<ProjectListItem>> {
  if (query.sort === 'activity') return listRecentProjects(db, overviews, actor, query);
  const after = decodeCursor(query.cursor, CursorShape.timeAndId);
  const page = await fetchPage(
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
    (r) => toListedProjectView(r, actor),
  );
  return { items: await withOverviews(overviews, page.items), nextCursor: page.nextCursor };
}
