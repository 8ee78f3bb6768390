import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { UnauthorizedError } from '../../../platform/errors.ts';
import { hasScope } from '../../../platform/http/actor.ts';
import { authenticateToken, type CredentialDeps } from '../../identity/index.ts';
import type { ProxyCaller } from './proxy-caller.ts';
import type { TokenBindings } from './token-bindings.ts';

export interface CallerDeps {
  db: Queryable;
  clock: Clock;
  /** The HTTP server's credential cache: a known token costs no database round trip. */
  credentials: CredentialDeps;
  bindings: TokenBindings;
}

export type CallerCheck =
  | { ok: true; caller: ProxyCaller }
  | { ok: false; kind: 'unauthenticated' | 'forbidden'; message: string };

/**
 * The client's provider key is an Orchard API token. It must hold the `write` scope: a model call
 * spends money, which a read-only token must not do.
 */
export async function authenticateCaller(deps: CallerDeps, key: string | undefined): Promise<CallerCheck> {
  if (!key) {
    return {
      ok: false,
      kind: 'unauthenticated',
      message:
        "No API key: set the client's API key to an Orchard API token (orch_…); create one under Settings → API tokens.",
    };
  }
  let actor: Awaited<ReturnType<typeof authenticateToken>>;
  try {
    actor = await authenticateToken(deps.db, deps.clock, key, deps.credentials);
  } catch (error) {
    if (error instanceof UnauthorizedError)
      return { ok: false, kind: 'unauthenticated', message: error.message };
    throw error;
  }
  if (!hasScope(actor, 'write')) {
    return {
      ok: false,
      kind: 'forbidden',
      message:
        'This Orchard token is read-only; model calls spend money and need a token with the write scope.',
    };
  }
  const binding = await deps.bindings.get(actor.tokenId!);
  return { ok: true, caller: { userId: actor.userId, tokenId: actor.tokenId!, ...binding } };
}
