import type { Db } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { requireConversation } from './access.ts';
import type { ConversationDetail } from './schemas.ts';
import { listMessages } from './store.ts';
import { toConversationView, toMessageView } from './views.ts';

export async function getConversation(db: Db, actor: Actor, id: string): Promise<ConversationDetail> {
  const { conversation } = await requireConversation(db, actor, id, 'read');
  const messages = await listMessages(db, id);
  return { ...toConversationView(conversation), messages: messages.map(toMessageView) };
}
