import * as client from 'openid-client';
import type { OidcProviderConfig } from '../../../config.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { hashToken, randomSecret } from '../token-format.ts';
import type { OidcClients } from './oidc-clients.ts';
import { insertAttempt } from './oidc-store.ts';

/** How long a person may take at the provider, from the redirect to the callback. */
export const ATTEMPT_TTL_MS = 10 * 60_000;

/** Where the provider sends the browser back: register exactly this URL with the provider. */
export function callbackUrl(origin: string, provider: OidcProviderConfig) {
  return `${origin}/api/auth/oidc/${provider.name}/callback`;
}

/**
 * Starts a sign-in with a provider: a fresh state, nonce and PKCE verifier (S256) kept server-side
 * for ten minutes, bound to this browser by a secret returned for an HTTP-only cookie (only its
 * hash is stored); `replacing` is the secret the browser held before, whose attempt is dropped.
 * Returns the provider's authorization URL to send the browser to.
 */
export async function startOidcSignIn(
  deps: { db: Db; clock: Clock; clients: OidcClients },
  input: { provider: OidcProviderConfig; origin: string; returnTo: string; replacing?: string },
): Promise<{ url: string; binding: string }> {
  const { provider } = input;
  const configuration = await deps.clients.configuration(provider);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const verifier = client.randomPKCECodeVerifier();
  const redirectUri = callbackUrl(input.origin, provider);
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri,
    scope: provider.scopes.join(' '),
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const binding = randomSecret(32);
  const now = deps.clock.now();
  await insertAttempt(
    deps.db,
    {
      binding_hash: hashToken(binding),
      provider: provider.name,
      state,
      nonce,
      code_verifier: verifier,
      redirect_uri: redirectUri,
      return_to: input.returnTo,
      expires_at: new Date(now.getTime() + ATTEMPT_TTL_MS),
    },
    now,
    input.replacing ? hashToken(input.replacing) : undefined,
  );
  return { url: url.href, binding };
}
