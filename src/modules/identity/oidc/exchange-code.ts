import * as client from 'openid-client';
import type { OidcProviderConfig } from '../../../config.ts';
import { type OidcPerson, readClaims } from './oidc-claims.ts';
import type { OidcClients } from './oidc-clients.ts';
import { OidcRefused } from './oidc-refusal.ts';
import type { AttemptRow } from './oidc-store.ts';

/** Why openid-client refused an answer, in words for the log (never tokens or the code). */
function describe(error: unknown): string {
  if (error instanceof client.ResponseBodyError)
    return `the token endpoint answered ${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  if (error instanceof client.AuthorizationResponseError) return `the provider answered ${error.error}`;
  return (error as Error).message;
}

/**
 * Trades the authorization code for tokens with openid-client, which checks what comes back: the
 * state, the issuer (RFC 9207), the PKCE verifier, and the ID token's signature, issuer, audience,
 * expiry and nonce. The person's claims are the ID token's, with the UserInfo endpoint's over them
 * (many providers put email and groups only there).
 */
export async function exchangeCode(
  clients: OidcClients,
  provider: OidcProviderConfig,
  attempt: AttemptRow,
  search: URLSearchParams,
): Promise<OidcPerson> {
  const configuration = await clients.configuration(provider);
  // The URL the provider sent the browser to, as registered (behind a proxy the request's own URL
  // may differ): openid-client reads the answer from its query and the redirect_uri from the rest.
  const current = new URL(attempt.redirect_uri);
  current.search = search.toString();
  let claims: Record<string, unknown>;
  try {
    const tokens = await client.authorizationCodeGrant(configuration, current, {
      pkceCodeVerifier: attempt.code_verifier,
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    });
    claims = { ...tokens.claims() };
    if (configuration.serverMetadata().userinfo_endpoint) {
      const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, String(claims.sub));
      claims = { ...claims, ...userInfo };
    }
  } catch (error) {
    // fetch() fails with "fetch failed" when nothing answers; openid-client's timeout aborts.
    const { name, message } = error as Error;
    const unreachable = message === 'fetch failed' || name === 'AbortError' || name === 'TimeoutError';
    throw new OidcRefused(
      unreachable ? 'provider_unavailable' : 'provider_error',
      `${provider.displayName} sign-in failed: ${describe(error)}.`,
    );
  }
  return readClaims(claims, provider.groupsClaim);
}
