import type { Queryable } from '../../../platform/db/pool.ts';
import { type LlmGateway, sessionSpend } from '../../llm/index.ts';
import { findSessionBudget } from './session-store.ts';

type Verdict = { ok: true } | { ok: false; message: string; reached?: BudgetReached };

/** An agent session whose token or cost budget is spent. */
export interface BudgetReached {
  sessionId: string;
  projectId: string;
  /** The person who started it (none when they are gone). */
  startedBy: string | null;
  message: string;
}

/**
 * The LLM proxy's budget gate for agent sessions: a session's token may spend while the session
 * is working and its calls so far (`llm_calls` booked to it, whichever runtime made them) are
 * within its token and cost limits. Tokens of people are not limited here.
 */
export function sessionBudgetGate(deps: {
  db: Queryable;
  llm?: Pick<LlmGateway, 'unwrittenSpend'>;
  /**
   * Told when a session's budget is found spent (notifications), on every refused request; not
   * awaited, so the proxy's answer does not wait on it. Must not reject (it catches and logs).
   */
  onBudgetReached?: (reached: BudgetReached) => Promise<void>;
}) {
  return async (caller: { agentSessionId: string | null }): Promise<Verdict> => {
    if (!caller.agentSessionId) return { ok: true };
    const verdict = await checkSessionSpend(deps.db, caller.agentSessionId, deps.llm);
    if (!verdict.ok && verdict.reached) void deps.onBudgetReached?.(verdict.reached);
    return verdict;
  };
}

/** `gateway`: counts the session's calls whose rows are not written yet (they go out in batches). */
export async function checkSessionSpend(
  db: Queryable,
  sessionId: string,
  gateway?: Pick<LlmGateway, 'unwrittenSpend'>,
): Promise<Verdict> {
  // Both at once: the proxy asks before every request (sessions always have budgets).
  const [session, spent] = await Promise.all([
    findSessionBudget(db, sessionId),
    sessionSpend(db, sessionId, gateway),
  ]);
  if (!session) return { ok: false, message: 'This agent session no longer exists.' };
  if (session.status !== 'running' && session.status !== 'queued')
    return {
      ok: false,
      message: `This agent session has ended (${session.status}); its token spends nothing more.`,
    };
  const { maxTokens, maxCostUsd } = session.budget;
  if (maxTokens === undefined && maxCostUsd === undefined) return { ok: true };
  const { tokens, costUsd: cost } = spent;
  const spentMessage =
    maxTokens !== undefined && tokens >= maxTokens
      ? `The agent session's token budget is spent: ${tokens} of ${maxTokens} tokens.`
      : maxCostUsd !== undefined && cost >= maxCostUsd
        ? `The agent session's cost budget is spent: $${cost.toFixed(4)} of $${maxCostUsd}.`
        : undefined;
  if (!spentMessage) return { ok: true };
  return {
    ok: false,
    message: spentMessage,
    reached: {
      sessionId,
      projectId: session.project_id,
      startedBy: session.started_by,
      message: spentMessage,
    },
  };
}
