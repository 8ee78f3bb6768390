import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage, type Page } from '../../platform/http/cursor.ts';
import { requireProjectRole } from '../projects/index.ts';
import type { IssueView, ListQuery } from './schemas.ts';
import { listIssueRecords } from './store.ts';
import { toIssueView } from './views.ts';
import { withIssueNames } from './with-usernames.ts';

/** A project's issues, newest first, by state and label (`merged` lists closed ones) (viewers). */
export async function listIssues(
  db: Queryable,
  actor: Actor,
  slug: string,
  query: ListQuery,
): Promise<Page<IssueView>> {
  const { project } = await requireProjectRole(db, actor, slug, 'viewer');
  const before = decodeCursor(query.cursor, CursorShape.number)?.[0];
  const state = query.state === 'merged' ? 'closed' : query.state;
  return fetchPage(
    query.limit,
    async (limit) =>
      withIssueNames(
        db,
        await listIssueRecords(db, { projectId: project.id, state, label: query.label, limit, before }),
      ),
    (r) => [r.number],
    toIssueView,
  );
}
