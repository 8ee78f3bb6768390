import type { RequestContext } from '../../../platform/context.ts';
import { ConflictError } from '../../../platform/errors.ts';
import { cancelOperation } from '../../operations/index.ts';
import { requireSession } from './require-session.ts';
import type { AgentSessionDeps } from './session-deps.ts';
import { findSession, type SessionRow } from './session-store.ts';

/**
 * Cancels a queued or running session (developers): its operation is cancelled, the running agent
 * is stopped through its signal, and the operation's end hook records the session as cancelled
 * and revokes its token.
 */
export async function cancelAgentSession(
  deps: AgentSessionDeps,
  ctx: RequestContext,
  id: string,
): Promise<SessionRow> {
  const session = await requireSession(deps.db, ctx.actor, id, 'developer');
  if (session.status !== 'queued' && session.status !== 'running')
    throw new ConflictError(
      `The session is ${session.status}; only a queued or running session can be cancelled.`,
    );
  if (!session.operation_id) throw new ConflictError('The session has no operation to cancel.');
  await cancelOperation(deps.db, deps.registry, ctx, session.operation_id, { clock: deps.clock });
  return (await findSession(deps.db, id))!;
}
