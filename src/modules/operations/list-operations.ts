import type { Db } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage, type Page } from '../../platform/http/cursor.ts';
import { listMemberProjectIds, requireProjectRole } from '../projects/index.ts';
import { isAdmin } from './access.ts';
import { listOperationRows, type OperationStatus } from './store.ts';
import { type OperationView, toOperationView } from './views.ts';
import { withProjectSlugs } from './with-project-slugs.ts';

/**
 * Operations newest first: of one project (viewers), else every operation the actor may see —
 * all for admins, those of the actor's projects for members.
 */
export async function listOperations(
  db: Db,
  actor: Actor,
  query: { project?: string; status?: OperationStatus; kind?: string; limit: number; cursor?: string },
): Promise<Page<OperationView>> {
  const after = decodeCursor(query.cursor, CursorShape.timeAndId);
  const projectId = query.project
    ? (await requireProjectRole(db, actor, query.project, 'viewer', { allowArchived: true })).project.id
    : undefined;
  // An agent token sees its own project's operations only (its principal may be in others).
  const inProjects =
    projectId || isAdmin(actor)
      ? undefined
      : actor.delegation
        ? [actor.delegation.projectId]
        : await listMemberProjectIds(db, actor.userId);
  return fetchPage(
    query.limit,
    async (limit) =>
      withProjectSlugs(
        db,
        await listOperationRows(db, {
          projectId,
          inProjects,
          status: query.status,
          kind: query.kind,
          limit,
          after,
        }),
      ),
    (r) => [r.created_at.toISOString(), r.id],
    toOperationView,
  );
}
