import { ForbiddenError } from '../errors.ts';
import type { Actor } from './actor.ts';

/**
 * Refuses an agent (delegated) token with a 403 saying what agents may not do, e.g.
 * `requireUndelegated(actor, 'Agent tokens cannot read secrets')`. Use cases call it for what is
 * for people only, so the API, the CLI and in-process agent runs are refused alike.
 */
export function requireUndelegated(actor: Actor, refusal: string) {
  const d = actor.delegation;
  if (!d) return;
  throw new ForbiddenError(
    `${refusal}: this is an agent token of ${actor.username}, acting for ${d.byUsername}. Ask ${d.byUsername} to do it.`,
  );
}
