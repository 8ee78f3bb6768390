/** Who calls through the proxy: the token's owner, and the agent session and project its calls are booked to. */
export interface ProxyCaller {
  userId: string;
  tokenId: string;
  /** Set when the token was made for an agent session (null: a person's own token). */
  agentSessionId: string | null;
  projectId: string | null;
}

/**
 * The budget gate, asked before every metered request: `{ ok: false, message }` refuses it in the
 * provider's words (Anthropic 402 billing_error, OpenAI 429 insufficient_quota, Gemini 400
 * FAILED_PRECONDITION), which the coding CLIs treat as final rather than retrying. The agent
 * sessions module supplies the real check; spend it bases that on is in `llm_calls`
 * (`agent_session_id`), written just after each call.
 */
export type CheckBudget = (caller: ProxyCaller) => Promise<{ ok: true } | { ok: false; message: string }>;

/** The default gate: no limit beyond the providers' own. */
export const allowAllBudgets: CheckBudget = async () => ({ ok: true });
