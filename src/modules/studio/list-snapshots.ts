import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage } from '../../platform/http/cursor.ts';
import { requireBlueprint } from './blueprint-access.ts';
import { withChatText } from './chat/chat-snapshots.ts';
import type { SnapshotsQuery } from './schemas.ts';
import { listSnapshotRows } from './store.ts';
import { toSnapshotView } from './views.ts';

/** A Blueprint's versions, oldest first, after `afterVersion` or the cursor, with the words of their turns (viewers). */
export async function listSnapshots(db: Queryable, actor: Actor, blueprintId: string, query: SnapshotsQuery) {
  const { blueprint } = await requireBlueprint(db, actor, blueprintId, 'viewer');
  const after = query.afterVersion ?? decodeCursor(query.cursor, CursorShape.number)?.[0] ?? 0;
  return fetchPage(
    query.limit,
    async (limit) =>
      withChatText(db, blueprint.conversation_id, await listSnapshotRows(db, blueprintId, limit, after)),
    (r) => [r.version],
    toSnapshotView,
  );
}
