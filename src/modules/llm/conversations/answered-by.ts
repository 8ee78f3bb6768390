import type { Queryable } from '../../../platform/db/pool.ts';
import { findAnsweringCalls } from '../telemetry/answering-calls.ts';
import type { AnsweredBy } from './schemas.ts';
import type { ConversationRow, MessageRow } from './store.ts';

/**
 * Who wrote each message that says: rules when its data says so, else the model of its recorded
 * LLM call. Keyed by message id; messages with neither are absent.
 */
export async function answeredByOf(
  db: Queryable,
  conversation: Pick<ConversationRow, 'id' | 'project_id'>,
  messages: ReadonlyArray<MessageRow>,
): Promise<Map<number, AnsweredBy>> {
  const calls = await findAnsweringCalls(
    db,
    messages.flatMap((m) => (m.llm_call_id && m.data.answeredBy !== 'rules' ? [m.llm_call_id] : [])),
    { projectId: conversation.project_id, conversationId: conversation.id },
  );
  const out = new Map<number, AnsweredBy>();
  for (const m of messages) {
    if (m.data.answeredBy === 'rules') {
      out.set(m.id, { kind: 'rules' });
      continue;
    }
    const call = m.llm_call_id ? calls.get(m.llm_call_id) : undefined;
    if (call)
      out.set(m.id, {
        kind: 'model',
        alias: call.alias,
        provider: call.provider,
        model: call.model,
        fallbackFrom: call.fallbackFrom,
        failed: call.failed || m.data.failed === true,
      });
  }
  return out;
}
