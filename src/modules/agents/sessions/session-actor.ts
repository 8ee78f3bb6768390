import type { Actor } from '../../../platform/http/actor.ts';
import { findUserById } from '../../identity/index.ts';
import { NonRetryableError } from '../../operations/index.ts';
import type { AgentSessionDeps } from './session-deps.ts';
import type { SessionRow } from './session-store.ts';

/**
 * Whom a session's push and merge request are attributed to: its agent principal acting on behalf
 * of the starter when it has a delegated token, else the starter (with read and write, never admin).
 */
export async function actorForSession(
  deps: Pick<AgentSessionDeps, 'db'>,
  session: SessionRow,
): Promise<Actor> {
  const starter = session.started_by ? await findUserById(deps.db, session.started_by) : undefined;
  if (!starter || starter.disabled)
    throw new NonRetryableError('The user who started this agent session no longer exists or is disabled.');
  return {
    userId: starter.id,
    username: starter.username,
    role: starter.role,
    via: 'token',
    scopes: ['read', 'write'],
  };
}
