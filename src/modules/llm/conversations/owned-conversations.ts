import type { RequestContext } from '../../../platform/context.ts';
import type { DbClient, Queryable } from '../../../platform/db/pool.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import { recordAudit } from '../../identity/index.ts';
import { answeredByOf } from './answered-by.ts';
import type { MessageRole, MessageView } from './schemas.ts';
import {
  findConversation,
  findMessageRows,
  insertConversation,
  insertMessage,
  setConversationTitleIfChanged,
} from './store.ts';
import { toMessageView } from './views.ts';

/*
 * Conversations another module keeps as part of its own feature (the Studio's chat with the
 * Architect): that module checked the actor's access to what the conversation is about, and these
 * run inside its transaction. Read, searched, exported and deleted like any other conversation.
 */

/** Starts a project conversation; audited as `conversation.create`, with what it is about. */
export async function startProjectConversation(
  tx: DbClient,
  ctx: RequestContext,
  input: { projectId: string; title: string; about: Record<string, unknown> },
): Promise<string> {
  const row = await insertConversation(tx, {
    projectId: input.projectId,
    ownerId: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
    title: input.title,
  });
  await recordAudit(tx, ctx, {
    action: 'conversation.create',
    target: { type: 'conversation', id: row.id },
    projectId: input.projectId,
    data: { title: row.title, ...input.about },
  });
  return row.id;
}

/** Keeps a conversation's title in step with what it is about (a renamed Blueprint). */
export async function retitleConversation(tx: DbClient, id: string, title: string): Promise<void> {
  await setConversationTitleIfChanged(tx, id, title);
}

export interface NewMessage {
  role: MessageRole;
  content: string;
  data?: Record<string, unknown>;
  /** The LLM call that wrote it (its `llm_calls.call_id`): the reply's model badge comes from it. */
  llmCallId?: string | null;
  createdBy?: string | null;
}

/** Appends messages in order; returns their ids. */
export async function appendMessages(
  tx: DbClient,
  conversationId: string,
  messages: ReadonlyArray<NewMessage>,
): Promise<number[]> {
  const ids: number[] = [];
  for (const m of messages) {
    const row = await insertMessage(tx, {
      conversationId,
      role: m.role,
      content: m.content,
      data: m.data ?? {},
      llmCallId: m.llmCallId ?? null,
      createdBy: m.createdBy ?? null,
    });
    ids.push(row.id);
  }
  return ids;
}

/** Messages of a conversation by id, each reply with who wrote it; ids not in it are absent. */
export async function readMessages(
  db: Queryable,
  conversationId: string,
  ids: ReadonlyArray<number>,
): Promise<Map<number, MessageView>> {
  const rows = await findMessageRows(db, conversationId, ids);
  if (!rows.length) return new Map();
  const conversation = await findConversation(db, conversationId);
  if (!conversation) return new Map();
  const answered = await answeredByOf(db, conversation, rows);
  return new Map(rows.map((r) => [r.id, toMessageView(r, answered.get(r.id) ?? null)]));
}
