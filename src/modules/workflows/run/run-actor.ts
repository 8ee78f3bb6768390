import type { RequestContext } from '../../../platform/context.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { findUserById } from '../../identity/index.ts';
import { NonRetryableError } from '../../operations/index.ts';

/**
 * The request context a run's steps act in: the person who started it (a schedule: who pushed its
 * file), as they are now — a disabled or deleted account stops the run; their project role is
 * checked by each use case when the step calls it. No one (null): Orchard itself.
 */
export async function runRequest(
  db: Queryable,
  actorId: string | null,
  operationId: string,
): Promise<RequestContext> {
  if (!actorId) return { actor: SYSTEM_ACTOR, requestId: `workflow:${operationId}` };
  const user = await findUserById(db, actorId);
  if (!user || user.disabled)
    throw new NonRetryableError('The person this workflow run acts for has no active account any more.');
  return {
    actor: {
      userId: user.id,
      username: user.username,
      role: user.role,
      via: 'token',
      scopes: ['read', 'write'],
    },
    requestId: `workflow:${operationId}`,
  };
}
