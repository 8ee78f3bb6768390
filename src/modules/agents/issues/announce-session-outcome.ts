import type { Db, Queryable } from '../../../platform/db/pool.ts';
import { withSavepoint, withTransaction } from '../../../platform/db/pool.ts';
import { type Actor, SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { findUserById } from '../../identity/index.ts';
import { recordIssueComment } from '../../reviews/index.ts';
import { agentActingFor } from '../sessions/agent-principal-actor.ts';
import { sessionLink } from '../sessions/session-link.ts';
import type { SessionRow } from '../sessions/session-store.ts';

/**
 * Tells the issue a session works on that a run delivered: the merge request and the summary, as
 * the session's actor (its agent principal for the starter, with a delegated token).
 */
export async function announceDelivered(
  db: Db,
  session: SessionRow,
  actor: Actor,
  delivered: { mergeRequestNumber: number; summary: string },
) {
  if (!session.issue_number) return;
  const body = `The agent finished (session ${sessionLink(session.id)}): merge request !${delivered.mergeRequestNumber}.\n\n${delivered.summary}`;
  await withTransaction(db, (tx) =>
    recordIssueComment(tx, { actor }, { projectId: session.project_id, number: session.issue_number!, body }),
  );
}

/**
 * Tells the issue a session works on how a run ended that did not deliver (failed, out of budget,
 * cancelled), in the transaction that ends its operation. A savepoint keeps a failure here from
 * undoing what that transaction records about the session.
 */
export async function announceEnded(tx: Queryable, session: SessionRow) {
  if (!session.issue_number || session.status === 'succeeded') return;
  const how =
    session.status === 'cancelled'
      ? 'was cancelled'
      : session.stop_reason === 'budget'
        ? `stopped at its budget: ${session.error ?? 'a limit was reached'}`
        : `failed: ${session.error ?? 'unknown error'}`;
  const body = `The agent session ${sessionLink(session.id)} ${how}\n\nAssign the issue to an agent again, or send the session a follow-up message.`;
  const issue = session.issue_number;
  await withSavepoint(
    tx,
    'agent_outcome_comment',
    async () => {
      const actor = await outcomeActor(tx, session);
      await recordIssueComment(tx, { actor }, { projectId: session.project_id, number: issue, body });
    },
    () => undefined,
  );
}

/** The agent principal for the starter when the session ran as one, else the starter, else Orchard. */
async function outcomeActor(db: Queryable, session: SessionRow): Promise<Actor> {
  const starter = session.started_by ? await findUserById(db, session.started_by) : undefined;
  if (!starter) return SYSTEM_ACTOR;
  const agent = session.principal_id ? await findUserById(db, session.principal_id) : undefined;
  if (agent) return agentActingFor(agent, starter, session.project_id, session.id);
  return {
    userId: starter.id,
    username: starter.username,
    role: starter.role,
    via: 'token',
    scopes: ['write'],
  };
}
