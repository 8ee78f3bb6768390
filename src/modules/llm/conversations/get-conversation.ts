import type { Db } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { requireConversation } from './access.ts';
import { answeredByOf } from './answered-by.ts';
import type { ConversationDetail } from './schemas.ts';
import { listMessages } from './store.ts';
import { toConversationView, toMessageView } from './views.ts';

/** A conversation with its messages, each reply with who wrote it (viewers of its project, or its owner). */
export async function getConversation(db: Db, actor: Actor, id: string): Promise<ConversationDetail> {
  const { conversation, project } = await requireConversation(db, actor, id, 'read');
  const messages = await listMessages(db, id);
  const answered = await answeredByOf(db, conversation, messages);
  return {
    ...toConversationView(conversation, project),
    messages: messages.map((m) => toMessageView(m, answered.get(m.id) ?? null)),
  };
}
