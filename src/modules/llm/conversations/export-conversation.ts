import type { Db } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { conversationMarkdown } from './conversation-markdown.ts';
import { getConversation } from './get-conversation.ts';

export interface ConversationExport {
  filename: string;
  contentType: string;
  body: string;
}

/** The whole conversation as Markdown (to read or paste) or JSON (to process or re-import). */
export async function exportConversation(
  db: Db,
  actor: Actor,
  id: string,
  format: 'markdown' | 'json',
  now: Date,
): Promise<ConversationExport> {
  const conversation = await getConversation(db, actor, id);
  if (format === 'json') {
    return {
      filename: `conversation-${id}.json`,
      contentType: 'application/json; charset=utf-8',
      body: `${JSON.stringify({ exportedAt: now.toISOString(), conversation }, null, 2)}\n`,
    };
  }
  return {
    filename: `conversation-${id}.md`,
    contentType: 'text/markdown; charset=utf-8',
    body: conversationMarkdown(conversation, now),
  };
}
