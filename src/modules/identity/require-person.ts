import type { Queryable } from '../../platform/db/pool.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import { type Actor, isSystemActor } from '../../platform/http/actor.ts';
import { findUserById, type UserKind } from './store.ts';

/** How an account that is not a person is named in a refusal. */
export function kindName(kind: UserKind): string {
  return kind === 'agent' ? 'an agent principal' : kind === 'service' ? 'a service account' : 'a person';
}

/**
 * Refuses an actor that is not a person (a service account's token; agent tokens are refused
 * before this by `requireUndelegated`) with a 403 saying what only people do, e.g.
 * `requirePerson(db, actor, 'start agent sessions')`. Orchard's own system actor (the CLI) passes.
 */
export async function requirePerson(db: Queryable, actor: Actor, doing: string): Promise<void> {
  if (isSystemActor(actor)) return;
  const user = await findUserById(db, actor.userId);
  if (user && user.kind !== 'human')
    throw new ForbiddenError(`${user.username} is ${kindName(user.kind)}: only people ${doing}.`);
}
