import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage, type Page } from '../../platform/http/cursor.ts';
import { requireProjectRole } from '../projects/index.ts';
import { checksFor } from './check-store.ts';
import { listMergeRequestRecords } from './merge-request-store.ts';
import type { ListQuery, MergeRequestView } from './schemas.ts';
import { toMergeRequestView } from './views.ts';
import { withMergeRequestNames } from './with-usernames.ts';

/** A project's merge requests, newest first, by state, each with its head commit's checks (viewers). */
export async function listMergeRequests(
  db: Queryable,
  actor: Actor,
  slug: string,
  query: ListQuery,
): Promise<Page<MergeRequestView>> {
  const { project } = await requireProjectRole(db, actor, slug, 'viewer');
  const before = decodeCursor(query.cursor, CursorShape.number)?.[0];
  const page = await fetchPage(
    query.limit,
    async (limit) =>
      withMergeRequestNames(
        db,
        await listMergeRequestRecords(db, { projectId: project.id, state: query.state, limit, before }),
      ),
    (r) => [r.number],
    (r) => r,
  );
  const checks = await checksFor(
    db,
    project.id,
    page.items.map((r) => r.head_sha),
  );
  return { ...page, items: page.items.map((row) => toMergeRequestView(row, checks)) };
}
