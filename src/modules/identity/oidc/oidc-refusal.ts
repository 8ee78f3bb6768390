/**
 * Why a single sign-on did not sign anyone in. The browser is sent to `/login?error=<code>` and the
 * login page words each code (web/src/features/oidc/oidc-errors.ts); the message is for the log.
 */
export const OIDC_REFUSALS = [
  /** The callback came without this browser's pending sign-in (used, replaced, or another browser's). */
  'no_attempt',
  'expired',
  /** The `state` the provider sent back is not the one this browser was sent with. */
  'state_mismatch',
  /** The person cancelled, or declined consent, at the provider. */
  'access_denied',
  /** The provider answered with an error, or an answer openid-client refused (nonce, PKCE, signature …). */
  'provider_error',
  /** Discovery or the token endpoint could not be reached. */
  'provider_unavailable',
  /** No admin was set up yet: a first account made by single sign-on would close the setup page. */
  'setup_needed',
  /** No account for this subject or email, and the provider does not allow sign-up. */
  'signup_closed',
  /** A new account needs an email and the provider sent none. */
  'email_missing',
  /** An account has this email but linking needs `email_verified: true`. */
  'email_unverified',
  /** An account has this email and the provider does not link by email. */
  'account_exists',
  /** The account with this email is linked to another subject of the same provider. */
  'already_linked',
  'account_disabled',
  /** The account is an agent or a service: only people sign in. */
  'not_a_person',
  /** Something on Orchard's side failed (logged with the request id). */
  'server_error',
] as const;
export type OidcRefusalCode = (typeof OIDC_REFUSALS)[number];

export class OidcRefused extends Error {
  constructor(
    readonly code: OidcRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'OidcRefused';
  }
}
