import type { RequestContext } from '../../../platform/context.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError } from '../../../platform/errors.ts';
import { recordAudit, requirePerson } from '../../identity/index.ts';
import { startOperation } from '../../operations/index.ts';
import { requireSession } from './require-session.ts';
import type { AgentSessionDeps } from './session-deps.ts';
import { appendEntries, findSession, type SessionRow, updateSession } from './session-store.ts';
import { AGENT_SESSION_KIND, SERVICES_CANNOT_DRIVE_AGENTS } from './start-agent-session.ts';

/**
 * A follow-up instruction (developers): it joins the transcript and the session runs again on the
 * same branch, continuing the conversation (the llm-agent sees everything said so far). A session
 * still running must finish or be cancelled first.
 */
export async function sendAgentMessage(
  deps: AgentSessionDeps,
  ctx: RequestContext,
  id: string,
  content: string,
): Promise<SessionRow> {
  const session = await requireSession(deps.db, ctx.actor, id, 'developer');
  await requirePerson(deps.db, ctx.actor, SERVICES_CANNOT_DRIVE_AGENTS);
  await withTransaction(deps.db, async (tx) => {
    const { rows } = await tx.query<{ status: string; run: number }>(
      `SELECT s.status, coalesce((SELECT max(run) FROM agent_session_entries e WHERE e.session_id = s.id), 1) AS run
         FROM agent_sessions s WHERE s.id = $1 FOR UPDATE`,
      [id],
    );
    const current = rows[0]!;
    if (current.status === 'queued' || current.status === 'running')
      throw new ConflictError(
        'The session is still working; wait for it to finish or cancel it, then send the message.',
      );
    const run = current.run + 1;
    await appendEntries(tx, id, run, [
      { kind: 'message', data: { type: 'message', role: 'user', text: content } },
    ]);
    const op = await startOperation(tx, deps.registry, {
      kind: AGENT_SESSION_KIND,
      input: { sessionId: id, run },
      actor: ctx.actor,
      projectId: session.project_id,
    });
    await updateSession(tx, id, {
      status: 'queued',
      operation_id: op.id,
      stop_reason: null,
      error: null,
      finished_at: null,
    });
    await recordAudit(tx, ctx, {
      action: 'agent_session.message',
      target: { type: 'agent_session', id },
      projectId: session.project_id,
      data: { run },
    });
  });
  return (await findSession(deps.db, id))!;
}
