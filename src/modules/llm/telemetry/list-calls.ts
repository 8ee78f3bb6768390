import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage, type Page } from '../../../platform/http/cursor.ts';
import type { ListCallsQuery, LlmCallView } from '../schemas.ts';
import { listCallRows } from './call-queries.ts';
import { callScope } from './call-scope.ts';
import { toCallView } from './call-views.ts';

/** LLM attempts, newest first, filtered; a project's for its members, all for instance admins. */
export async function listCalls(
  db: Queryable,
  actor: Actor,
  query: ListCallsQuery,
): Promise<Page<LlmCallView>> {
  const projectId = await callScope(db, actor, query.project);
  const after = decodeCursor(query.cursor, CursorShape.timeAndSerial);
  const { limit, cursor: _cursor, project: _project, ...filters } = query;
  return fetchPage(
    limit,
    (rows) => listCallRows(db, { ...filters, ...(projectId ? { projectId } : {}) }, rows, after),
    (r) => [r.started_at.toISOString(), r.id],
    toCallView,
  );
}
