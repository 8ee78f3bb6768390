import { ForbiddenError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';

/**
 * Passkeys are managed by the person, in the browser they sign in with: agent and API tokens are
 * refused (a stolen token must not be able to plant a passkey and turn itself into a sign-in).
 */
export function requireBrowserSession(actor: Actor) {
  requireUndelegated(actor, 'Agent tokens cannot manage passkeys');
  if (actor.via !== 'session')
    throw new ForbiddenError(
      'API tokens cannot manage passkeys: sign in to Orchard in a browser and use Settings → Passkeys.',
    );
}
