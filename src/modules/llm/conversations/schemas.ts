import { z } from 'zod';
import { PageQuery } from '../../../platform/http/cursor.ts';

export const MessageRole = z.enum(['system', 'user', 'assistant', 'tool']);
export type MessageRole = z.infer<typeof MessageRole>;

export const CreateConversationBody = z.object({
  title: z.string().trim().max(200).default(''),
  /** A project slug; without it the conversation is the caller's own. */
  project: z.string().min(1).max(100).optional(),
});
export type CreateConversationBody = z.infer<typeof CreateConversationBody>;

export const UpdateConversationBody = z.object({ title: z.string().trim().max(200) });

export const AddMessageBody = z.object({
  role: MessageRole,
  content: z.string().max(512 * 1024),
  /** Structured extras: tool calls, a Blueprint patch, … */
  data: z.record(z.string(), z.unknown()).default({}),
  llmCallId: z.uuid().optional(),
});
export type AddMessageBody = z.infer<typeof AddMessageBody>;

export const ConversationParams = z.object({ id: z.uuid({ error: 'must be a conversation id (a UUID)' }) });

export const ListConversationsQuery = PageQuery.extend({
  /** One project's conversations; without it, every conversation the caller may read. */
  project: z.string().min(1).max(100).optional(),
  /** Full-text search over message content (web-search syntax: words, "phrases", -exclusions, or). */
  q: z.string().trim().min(1).max(200).optional(),
});
export type ListConversationsQuery = z.infer<typeof ListConversationsQuery>;

export const ExportQuery = z.object({ format: z.enum(['markdown', 'json']).default('markdown') });

export const ConversationView = z.object({
  id: z.string(),
  projectId: z.string().nullable(),
  /** The project's slug and name (null for a personal conversation). */
  project: z.object({ slug: z.string(), name: z.string() }).nullable(),
  ownerId: z.string().nullable(),
  title: z.string(),
  messageCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** With `q`: the best-matching passage, search terms wrapped in «». */
  match: z.string().optional(),
});
export type ConversationView = z.infer<typeof ConversationView>;

/**
 * Who wrote a reply: the model of its recorded LLM call (the alias asked for, the model that
 * answered, the one it fell back from), or rules (a reply whose `data.answeredBy` is `"rules"`:
 * written without a model, e.g. by the rule-based Architect).
 */
export const AnsweredBy = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rules') }),
  z.object({
    kind: z.literal('model'),
    alias: z.string().nullable(),
    provider: z.string(),
    model: z.string(),
    /** `provider/model` first asked, when another model of the alias's chain answered. */
    fallbackFrom: z.string().nullable(),
    /** The call gave no usable answer (the reply says what went wrong). */
    failed: z.boolean(),
  }),
]);
export type AnsweredBy = z.infer<typeof AnsweredBy>;

export const MessageView = z.object({
  id: z.number(),
  role: MessageRole,
  content: z.string(),
  data: z.record(z.string(), z.unknown()),
  llmCallId: z.string().nullable(),
  /** On replies: who wrote it (null when nothing says). */
  answeredBy: AnsweredBy.nullable(),
  createdAt: z.string(),
});
export type MessageView = z.infer<typeof MessageView>;

export const ConversationDetail = ConversationView.extend({ messages: z.array(MessageView) });
export type ConversationDetail = z.infer<typeof ConversationDetail>;
