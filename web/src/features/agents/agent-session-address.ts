import type { OperationDetail } from '../../api/operation-types.ts';
import { to } from '../projects/project-paths.ts';

/** The operation kind that runs an agent session (one operation per run). */
export const AGENT_SESSION_KIND = 'agent.session';

/** The session an `agent.session` operation runs (its input names it), else undefined. */
export function sessionOf(op: Pick<OperationDetail, 'kind' | 'input' | 'projectSlug'>) {
  if (op.kind !== AGENT_SESSION_KIND || !op.projectSlug) return undefined;
  const id = (op.input as { sessionId?: unknown } | null)?.sessionId;
  return typeof id === 'string' ? to.agentSession(op.projectSlug, id) : undefined;
}

const CITED_SESSION = /\/agent-sessions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/i;

/** The session a merge request's description cites (sessions sign what they open with their address). */
export function citedSessionId(text: string | null | undefined): string | undefined {
  return text ? CITED_SESSION.exec(text)?.[1] : undefined;
}
