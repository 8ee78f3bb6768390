import type { RequestContext } from '../../../platform/context.ts';
import type { DbClient } from '../../../platform/db/pool.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import {
  appendMessages,
  type NewMessage,
  retitleConversation,
  startProjectConversation,
} from '../../llm/index.ts';
import { type BlueprintRow, setBlueprintConversation } from '../store.ts';

/** Who wrote an Architect reply: the LLM call that answered (the last one tried, when none did), or rules. */
export type ReplyAuthor = { llmCallId: string | null; failed?: boolean } | 'rules';

export interface ChatTurn {
  /** What someone said: a chat message, a landing prompt. */
  said?: string | null;
  reply?: string | null;
  /** Default: rules. */
  answeredBy?: ReplyAuthor;
}

/**
 * Writes one turn of a Blueprint's chat as messages of its conversation, which its first turn
 * starts (titled after the Blueprint, and kept so). The caller holds the Blueprint's row lock, in
 * the transaction that stores the turn's snapshot; the ids returned link that snapshot to them.
 */
export async function recordChatTurn(
  tx: DbClient,
  ctx: RequestContext,
  blueprint: BlueprintRow,
  turn: ChatTurn & { version: number; title: string },
): Promise<{ conversationId: string | null; messageId: number | null; replyId: number | null }> {
  if (!turn.said && !turn.reply)
    return { conversationId: blueprint.conversation_id, messageId: null, replyId: null };
  const conversationId = await openBlueprintConversation(tx, ctx, blueprint, turn.title);
  const link = { blueprintId: blueprint.id, version: turn.version };
  const messages: NewMessage[] = [];
  if (turn.said)
    messages.push({
      role: 'user',
      content: turn.said,
      data: link,
      createdBy: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
    });
  if (turn.reply) {
    const by = turn.answeredBy ?? 'rules';
    messages.push({
      role: 'assistant',
      content: turn.reply,
      data: by === 'rules' ? { ...link, answeredBy: 'rules' } : by.failed ? { ...link, failed: true } : link,
      llmCallId: by === 'rules' ? null : by.llmCallId,
    });
  }
  const ids = await appendMessages(tx, conversationId, messages);
  return {
    conversationId,
    messageId: turn.said ? ids[0]! : null,
    replyId: turn.reply ? ids.at(-1)! : null,
  };
}

/**
 * The Blueprint's conversation, started (and linked) when it has none, its title kept in step
 * with the Blueprint's. The caller holds the Blueprint's row lock.
 */
export async function openBlueprintConversation(
  tx: DbClient,
  ctx: RequestContext,
  blueprint: BlueprintRow,
  title: string,
): Promise<string> {
  if (blueprint.conversation_id) {
    await retitleConversation(tx, blueprint.conversation_id, title);
    return blueprint.conversation_id;
  }
  const id = await startProjectConversation(tx, ctx, {
    projectId: blueprint.project_id,
    title,
    about: { blueprintId: blueprint.id },
  });
  await setBlueprintConversation(tx, blueprint.id, id);
  return id;
}
