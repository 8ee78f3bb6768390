import type { Queryable } from '../../../platform/db/pool.ts';
import { notify } from '../../../platform/events/index.ts';
import type { OperationChange } from '../../operations/index.ts';
import { RunSessionInput } from './run-session.ts';
import { findSession, SESSION_CHANNEL, type SessionRow, updateSession } from './session-store.ts';

/**
 * `agent.session`'s onEnd hook, in the transaction that ends the operation as failed or cancelled
 * (a step out of attempts, the reaper, a cancel): the session records how it ended unless its
 * step already did (a budget stop records its own reason). Returns the session as it now stands
 * and the session's run that ended.
 */
export async function settleEndedSession(
  tx: Queryable,
  ended: OperationChange,
): Promise<{ session: SessionRow; run: number } | undefined> {
  const input = RunSessionInput.safeParse(ended.input);
  if (!input.success) return undefined;
  const session = await findSession(tx, input.data.sessionId);
  if (!session || session.operation_id !== ended.id) return undefined;
  if (session.status === 'queued' || session.status === 'running') {
    await updateSession(tx, session.id, {
      status: ended.status,
      stop_reason: ended.status === 'cancelled' ? 'cancelled' : 'error',
      error: ended.error?.message ?? null,
      finished_at: ended.at,
    });
  }
  await notify(tx, SESSION_CHANNEL, session.id);
  return { session: (await findSession(tx, session.id))!, run: input.data.run };
}
