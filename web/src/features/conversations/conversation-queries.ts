import { useQuery } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import type { Conversation, ConversationDetail } from '../../api/conversation-types.ts';
import { keys } from '../../api/query-keys.ts';
import { usePaged } from '../../api/use-paged.ts';

/**
 * Conversations, most recently active first: one project's (`project`) or every one the signed-in
 * person may read; `q` searches their messages (words, "phrases", -exclusions, or).
 */
export function useConversations(query: { project?: string; q?: string }) {
  return usePaged<Conversation>(keys.conversations, '/api/conversations', {
    project: query.project,
    q: query.q || undefined,
  });
}

export function useConversation(id: string) {
  return useQuery({
    queryKey: keys.conversation(id),
    queryFn: () => api.get<ConversationDetail>(`/api/conversations/${seg(id)}`),
  });
}

/** Where a conversation's export downloads from. */
export const exportUrl = (id: string, format: 'markdown' | 'json') =>
  `/api/conversations/${seg(id)}/export?format=${format}`;
