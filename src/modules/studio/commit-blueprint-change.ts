import { type Clock, systemClock } from '../../platform/clock.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { DbClient } from '../../platform/db/pool.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import { isSystemActor } from '../../platform/http/actor.ts';
import { type Blueprint, diffBlueprints, isReadyToBuild, type JsonPatch } from '../blueprint/index.ts';
import { recordAudit } from '../identity/index.ts';
import { reconcileBuilding } from './build/settle-build.ts';
import { type ReplyAuthor, recordChatTurn } from './chat/record-chat-turn.ts';
import {
  type BlueprintRow,
  findBlueprint,
  insertSnapshot,
  type SnapshotRow,
  saveBlueprintVersion,
} from './store.ts';

export interface BlueprintChange {
  kind: SnapshotRow['kind'];
  /** Computes the next document from the current one (may throw a ValidationError: nothing is written). */
  next(current: Blueprint): { document: Blueprint; reply?: string; patch?: JsonPatch };
  /**
   * What someone said (chat, autopilot): with the reply, a turn of the Blueprint's conversation.
   * For an edit, a note on where it came from, kept on the snapshot.
   */
  message?: string;
  /** Who wrote the reply (default: rules). */
  answeredBy?: ReplyAuthor;
  /** Optimistic concurrency: the version the client edited. */
  expectedVersion?: number;
  operationId?: string;
  /**
   * The change is part of a build (the landing prompt's draft step): allowed while the Blueprint
   * is `building`, and the status stays `building`.
   */
  duringBuild?: boolean;
  clock?: Clock;
}

/** Kinds whose message is a note on the snapshot rather than a turn of the chat. */
const NOTE_KINDS = new Set<SnapshotRow['kind']>(['edit', 'status']);

/**
 * The one way a Blueprint changes: under a row lock, compute the next document, store it with a
 * snapshot (patch, and the turn's message and reply as messages of the Blueprint's conversation)
 * and keep the status in step with readiness — all in the caller's transaction, so a failed
 * change leaves no trace.
 */
export async function commitBlueprintChange(
  tx: DbClient,
  ctx: RequestContext,
  id: string,
  change: BlueprintChange,
): Promise<{ row: BlueprintRow; snapshot: SnapshotRow; reply?: string }> {
  const found = await findBlueprint(tx, id, true);
  if (!found) throw new NotFoundError(`No Blueprint ${id}.`);
  const current = await reconcileBuilding(tx, change.clock ?? systemClock, found);
  if (change.expectedVersion !== undefined && change.expectedVersion !== current.version) {
    throw new ConflictError(
      `The Blueprint changed since you loaded it (you edited version ${change.expectedVersion}, it is now ${current.version}); reload and apply your edit again.`,
      { currentVersion: current.version },
    );
  }
  const building = current.status === 'building' && !change.duringBuild;
  if (building || current.status === 'discarded') {
    throw new ConflictError(`The Blueprint is ${current.status}; it cannot be edited now.`);
  }
  const { document, reply, patch } = change.next(current.document);
  const version = current.version + 1;
  const status =
    current.status === 'building'
      ? 'building'
      : isReadyToBuild(document).ready
        ? 'ready'
        : current.status === 'built'
          ? 'built'
          : 'draft';
  const saved = await saveBlueprintVersion(tx, id, {
    document,
    version,
    status,
    title: document.feature || undefined,
  });
  const note = NOTE_KINDS.has(change.kind);
  const turn = await recordChatTurn(tx, ctx, current, {
    said: note ? null : change.message,
    reply,
    answeredBy: change.answeredBy,
    version,
    title: saved.title,
  });
  const row = { ...saved, conversation_id: turn.conversationId };
  const snapshot = await insertSnapshot(tx, {
    blueprint_id: id,
    version,
    kind: change.kind,
    message: note ? (change.message ?? null) : null,
    reply: null,
    patch: patch ?? diffBlueprints(current.document, document),
    document,
    actor_id: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
    actor_name: ctx.actor.username,
    operation_id: change.operationId ?? null,
    message_id: turn.messageId,
    reply_id: turn.replyId,
  });
  await recordAudit(tx, ctx, {
    action: `blueprint.${change.kind}`,
    target: { type: 'blueprint', id },
    projectId: current.project_id,
    data: { version, ops: snapshot.patch.length },
  });
  return { row, snapshot, reply };
}
