import type { Queryable } from '../../platform/db/pool.ts';

/** Where a token's work belongs: the agent session it was made for, and that session's project. */
export interface TokenBinding {
  agentSessionId: string | null;
  projectId: string | null;
}

/**
 * The session and project a token is bound to (both null for a person's own token). Read by the
 * LLM proxy after the token authenticated, so every metered call is booked to its session.
 */
export async function findTokenBinding(db: Queryable, tokenId: string): Promise<TokenBinding> {
  const { rows } = await db.query<{ agent_session_id: string | null; project_id: string | null }>(
    'SELECT agent_session_id, project_id FROM api_tokens WHERE id = $1',
    [tokenId],
  );
  return { agentSessionId: rows[0]?.agent_session_id ?? null, projectId: rows[0]?.project_id ?? null };
}
