import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { requireBlueprint } from './blueprint-access.ts';
import { withChatText } from './chat/chat-snapshots.ts';
import { findSnapshot } from './store.ts';
import { toSnapshotView } from './views.ts';

/** One version of a Blueprint with its whole document (viewers). */
export async function getSnapshot(db: Queryable, actor: Actor, blueprintId: string, version: number) {
  const { blueprint } = await requireBlueprint(db, actor, blueprintId, 'viewer');
  const snapshot = await findSnapshot(db, blueprintId, version);
  if (!snapshot) throw new NotFoundError(`No version ${version} of this Blueprint.`);
  const [turn] = await withChatText(db, blueprint.conversation_id, [snapshot]);
  return { ...toSnapshotView(turn!), blueprint: snapshot.document };
}
