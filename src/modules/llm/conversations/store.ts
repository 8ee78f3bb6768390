import type { Queryable } from '../../../platform/db/pool.ts';
import type { MessageRole } from './schemas.ts';

export interface ConversationRow {
  id: string;
  project_id: string | null;
  owner_id: string | null;
  title: string;
  created_at: Date;
  updated_at: Date;
  message_count: number;
  match?: string | null;
}

export interface MessageRow {
  id: number;
  conversation_id: string;
  role: MessageRole;
  content: string;
  data: Record<string, unknown>;
  llm_call_id: string | null;
  created_at: Date;
}

const WITH_COUNT = `c.*, (SELECT count(*)::int FROM conversation_messages m WHERE m.conversation_id = c.id) AS message_count`;

export async function insertConversation(
  db: Queryable,
  c: { projectId: string | null; ownerId: string | null; title: string },
): Promise<ConversationRow> {
  const { rows } = await db.query<ConversationRow>(
    'INSERT INTO conversations (project_id, owner_id, title) VALUES ($1, $2, $3) RETURNING *, 0 AS message_count',
    [c.projectId, c.ownerId, c.title],
  );
  return rows[0]!;
}

export async function findConversation(db: Queryable, id: string): Promise<ConversationRow | undefined> {
  const { rows } = await db.query<ConversationRow>(
    `SELECT ${WITH_COUNT} FROM conversations c WHERE c.id = $1`,
    [id],
  );
  return rows[0];
}

export async function setConversationTitle(db: Queryable, id: string, title: string) {
  await db.query('UPDATE conversations SET title = $2, updated_at = now() WHERE id = $1', [id, title]);
}

/** Sets the title when it differs; says whether it did. */
export async function setConversationTitleIfChanged(db: Queryable, id: string, title: string) {
  const { rowCount } = await db.query(
    'UPDATE conversations SET title = $2 WHERE id = $1 AND title IS DISTINCT FROM $2',
    [id, title],
  );
  return (rowCount ?? 0) > 0;
}

export async function deleteConversationRow(db: Queryable, id: string) {
  await db.query('DELETE FROM conversations WHERE id = $1', [id]);
}

export async function insertMessage(
  db: Queryable,
  m: {
    conversationId: string;
    role: MessageRole;
    content: string;
    data: Record<string, unknown>;
    llmCallId: string | null;
    createdBy: string | null;
  },
): Promise<MessageRow> {
  const { rows } = await db.query<MessageRow>(
    `WITH touched AS (UPDATE conversations SET updated_at = now() WHERE id = $1)
     INSERT INTO conversation_messages (conversation_id, role, content, data, llm_call_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id, conversation_id, role, content, data, llm_call_id, created_at`,
    [m.conversationId, m.role, m.content, JSON.stringify(m.data), m.llmCallId, m.createdBy],
  );
  return rows[0]!;
}

export async function listMessages(db: Queryable, conversationId: string): Promise<MessageRow[]> {
  const { rows } = await db.query<MessageRow>(
    `SELECT id, conversation_id, role, content, data, llm_call_id, created_at FROM conversation_messages
     WHERE conversation_id = $1 ORDER BY id`,
    [conversationId],
  );
  return rows;
}

/** Whose conversations a listing covers. */
export type ConversationScope =
  /** One project's. */
  | { projectId: string }
  /**
   * The user's own personal ones, and those of these projects (`'all'`: of every project, for
   * instance admins).
   */
  | { ownerId: string; projects: string[] | 'all' };

/**
 * Conversations in a scope, most recently active first. With `search`, only those with a message
 * matching it (websearch syntax, English stemming), each with its best-matching passage.
 */
export async function listConversationRows(
  db: Queryable,
  q: { scope: ConversationScope; search?: string; limit: number; after?: [string, string] },
): Promise<ConversationRow[]> {
  const one = 'projectId' in q.scope ? q.scope.projectId : null;
  const owner = 'ownerId' in q.scope ? q.scope.ownerId : null;
  const projects = 'projects' in q.scope && q.scope.projects !== 'all' ? q.scope.projects : null;
  const everyProject = 'projects' in q.scope && q.scope.projects === 'all';
  const { rows } = await db.query<ConversationRow>(
    `SELECT ${WITH_COUNT}, hit.match FROM conversations c
     LEFT JOIN LATERAL (
       SELECT ts_headline('english', m.content, websearch_to_tsquery('english', $3),
                'StartSel=«, StopSel=», MaxWords=30, MinWords=10') AS match
       FROM conversation_messages m
       WHERE $3::text IS NOT NULL AND m.conversation_id = c.id AND m.search @@ websearch_to_tsquery('english', $3)
       ORDER BY ts_rank(m.search, websearch_to_tsquery('english', $3)) DESC, m.id LIMIT 1
     ) hit ON true
     WHERE (CASE WHEN $1::uuid IS NOT NULL THEN c.project_id = $1
            ELSE (c.project_id IS NULL AND c.owner_id = $2)
              OR (c.project_id IS NOT NULL AND ($7 OR c.project_id = ANY($8::uuid[]))) END)
       -- The matching messages come from the GIN index, not from a scan of each conversation's.
       AND ($3::text IS NULL OR c.id IN (
         SELECT m.conversation_id FROM conversation_messages m WHERE m.search @@ websearch_to_tsquery('english', $3)))
       AND ($5::timestamptz IS NULL OR (c.updated_at, c.id) < ($5::timestamptz, $6::uuid))
     ORDER BY c.updated_at DESC, c.id DESC LIMIT $4`,
    [
      one,
      owner,
      q.search ?? null,
      q.limit,
      q.after?.[0] ?? null,
      q.after?.[1] ?? null,
      everyProject,
      projects ?? [],
    ],
  );
  return rows;
}

/** Messages of one conversation by id, in id order. */
export async function findMessageRows(
  db: Queryable,
  conversationId: string,
  ids: ReadonlyArray<number>,
): Promise<MessageRow[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<MessageRow>(
    `SELECT id, conversation_id, role, content, data, llm_call_id, created_at FROM conversation_messages
     WHERE conversation_id = $1 AND id = ANY($2::bigint[]) ORDER BY id`,
    [conversationId, [...new Set(ids)]],
  );
  return rows;
}
