import type { Queryable } from '../../../platform/db/pool.ts';

/** Who answered one logical call, from its recorded attempts. */
export interface AnsweringCall {
  alias: string | null;
  provider: string;
  model: string;
  /** The chain's first model (`provider/model`) when another one answered; null without a fallback. */
  fallbackFrom: string | null;
  /** No attempt succeeded: `provider`/`model` are the last one tried. */
  failed: boolean;
}

/**
 * The model that answered each call (its successful attempt, else its last one) and the model it
 * fell back from, for the badges on replies. Only calls of the conversation's project (or booked to
 * the conversation itself) count: a message cannot name another project's call to read it. Calls
 * with no recorded attempt are absent.
 */
export async function findAnsweringCalls(
  db: Queryable,
  callIds: ReadonlyArray<string>,
  scope: { projectId: string | null; conversationId: string },
): Promise<Map<string, AnsweringCall>> {
  const wanted = [...new Set(callIds)];
  if (!wanted.length) return new Map();
  const { rows } = await db.query<{
    call_id: string;
    alias: string | null;
    provider: string;
    model: string;
    outcome: string;
    first_model: string;
  }>(
    `SELECT DISTINCT ON (c.call_id) c.call_id, c.alias, c.provider, c.model, c.outcome,
       first_value(c.provider || '/' || c.model) OVER (PARTITION BY c.call_id ORDER BY c.attempt) AS first_model
     FROM llm_calls c
     WHERE c.call_id = ANY($1::uuid[]) AND (c.project_id = $2 OR c.conversation_id = $3)
     ORDER BY c.call_id, (c.outcome = 'ok') DESC, c.attempt DESC`,
    [wanted, scope.projectId, scope.conversationId],
  );
  return new Map(
    rows.map((r) => {
      const answered = `${r.provider}/${r.model}`;
      return [
        r.call_id,
        {
          alias: r.alias,
          provider: r.provider,
          model: r.model,
          fallbackFrom: r.first_model !== answered ? r.first_model : null,
          failed: r.outcome !== 'ok',
        },
      ];
    }),
  );
}
