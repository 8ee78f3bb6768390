import type { Db } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage, type Page } from '../../../platform/http/cursor.ts';
import { findProjects, listMemberProjectIds, requireProjectRole } from '../../projects/index.ts';
import type { ConversationView, ListConversationsQuery } from './schemas.ts';
import { type ConversationRow, type ConversationScope, listConversationRows } from './store.ts';
import { toConversationView } from './views.ts';

/**
 * Conversations, most recently active first; `q` searches their messages' text. Of one project
 * (its viewers), or every one the caller may read: their own personal conversations and those of
 * the projects they are a member of (every project for instance admins; an agent token's own
 * project only).
 */
export async function listConversations(
  db: Db,
  actor: Actor,
  query: ListConversationsQuery,
): Promise<Page<ConversationView>> {
  const scope: ConversationScope = query.project
    ? { projectId: (await requireProjectRole(db, actor, query.project, 'viewer')).project.id }
    : {
        ownerId: actor.userId,
        projects: actor.delegation
          ? [actor.delegation.projectId]
          : actor.role === 'admin'
            ? 'all'
            : await listMemberProjectIds(db, actor.userId),
      };
  const after = decodeCursor(query.cursor, CursorShape.timeAndId);
  const projects = new Map<string, { slug: string; name: string }>();
  return fetchPage(
    query.limit,
    async (limit) => {
      const rows = await listConversationRows(db, {
        scope,
        ...(query.q ? { search: query.q } : {}),
        limit,
        ...(after ? { after } : {}),
      });
      const found = await findProjects(
        db,
        rows.flatMap((r) => (r.project_id ? [r.project_id] : [])),
      );
      for (const [id, p] of found) projects.set(id, { slug: p.slug, name: p.name });
      return rows;
    },
    (r) => [r.updated_at.toISOString(), r.id],
    (r: ConversationRow) => toConversationView(r, r.project_id ? (projects.get(r.project_id) ?? null) : null),
  );
}
