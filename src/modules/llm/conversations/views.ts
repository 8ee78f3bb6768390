import type { AnsweredBy, ConversationView, MessageView } from './schemas.ts';
import type { ConversationRow, MessageRow } from './store.ts';

export function toConversationView(
  row: ConversationRow,
  project: { slug: string; name: string } | null = null,
): ConversationView {
  return {
    id: row.id,
    projectId: row.project_id,
    project,
    ownerId: row.owner_id,
    title: row.title,
    messageCount: row.message_count,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    ...(row.match ? { match: row.match } : {}),
  };
}

export function toMessageView(row: MessageRow, answeredBy: AnsweredBy | null = null): MessageView {
  return {
    id: row.id,
    role: row.role,
    content: row.content,
    data: row.data,
    llmCallId: row.llm_call_id,
    answeredBy,
    createdAt: row.created_at.toISOString(),
  };
}
