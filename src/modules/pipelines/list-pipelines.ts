import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage } from '../../platform/http/cursor.ts';
import { requireProjectRole } from '../projects/index.ts';
import type { ListPipelinesQuery } from './schemas.ts';
import { listPipelineRows } from './store.ts';
import { toPipelineView } from './views.ts';

/** A project's pipelines, newest first, by ref and status (viewers). */
export async function listPipelines(db: Queryable, actor: Actor, slug: string, query: ListPipelinesQuery) {
  const { project } = await requireProjectRole(db, actor, slug, 'viewer');
  const before = decodeCursor(query.cursor, CursorShape.number)?.[0];
  return fetchPage(
    query.limit,
    (limit) =>
      listPipelineRows(db, { projectId: project.id, ref: query.ref, status: query.status, limit, before }),
    (r) => [r.number],
    (r) => toPipelineView(r),
  );
}
