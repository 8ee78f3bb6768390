import type { Db } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { getConversation } from './get-conversation.ts';
import type { ConversationDetail } from './schemas.ts';

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
    body: toMarkdown(conversation, now),
  };
}

const ROLE_TITLES = { system: 'System', user: 'User', assistant: 'Assistant', tool: 'Tool' } as const;

export function toMarkdown(c: ConversationDetail, now: Date): string {
  const lines = [
    `# ${c.title || 'Untitled conversation'}`,
    '',
    `- Conversation: \`${c.id}\``,
    `- Created: ${c.createdAt}`,
    `- Exported: ${now.toISOString()}`,
    '',
  ];
  for (const m of c.messages) {
    lines.push(`## ${ROLE_TITLES[m.role]} · ${m.createdAt}`, '', m.content, '');
    if (Object.keys(m.data).length) lines.push('```json', JSON.stringify(m.data, null, 2), '```', '');
  }
  return lines.join('\n');
}
