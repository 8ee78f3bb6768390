import type { Db } from '../../platform/db/pool.ts';
import { ValidationError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/actor.ts';
import type { Page } from '../../platform/http/cursor.ts';
import type { ProjectOverviews } from './project-overviews.ts';
import type { ProjectListItem } from './schemas.ts';
import { listProjectsFor } from './store.ts';
import { toListedProjectView, withOverviews } from './views.ts';

/**
 * The `limit` projects the actor sees with the most recent activity: the newest operation of the
 * project (a build, a pipeline, a deploy…), else its creation or last edit. Activity lives in other
 * modules, so this is one page ranked in memory, not a keyset listing: it takes no cursor.
 */
export async function listRecentProjects(
  db: Db,
  overviews: ProjectOverviews,
  actor: Actor,
  query: { limit: number; cursor?: string; archived: boolean; q?: string },
): Promise<Page<ProjectListItem>> {
  if (query.cursor)
    throw new ValidationError('sort=activity answers one page; it takes no cursor.', [
      { field: 'querystring.cursor', message: 'is not accepted with sort=activity' },
    ]);
  const rows = await listProjectsFor(db, {
    userId: actor.userId,
    all: actor.role === 'admin' && !actor.delegation,
    onlyProjectId: actor.delegation?.projectId,
    archived: query.archived,
    search: query.q,
    limit: null,
  });
  const operated = await overviews.lastActivity(rows.map((r) => r.id));
  const activity = (r: (typeof rows)[number]) =>
    Math.max(operated.get(r.id)?.getTime() ?? 0, r.created_at.getTime(), r.updated_at.getTime());
  const ranked = rows
    .map((row) => ({ row, at: activity(row) }))
    .sort((a, b) => b.at - a.at || (a.row.id < b.row.id ? 1 : -1))
    .slice(0, query.limit);
  return {
    items: await withOverviews(
      overviews,
      ranked.map(({ row }) => toListedProjectView(row, actor)),
    ),
    nextCursor: null,
  };
}
