import { bindingCookie } from '../binding-cookie.ts';
import { ATTEMPT_TTL_MS } from './start-oidc-sign-in.ts';

/**
 * Binds a pending sign-in to the browser that started it (HTTP-only, sign-on paths only).
 * `SameSite=Lax`, not Strict: the provider sends the browser back with a top-level navigation from
 * its own site, and a Strict cookie would stay behind.
 */
export const oidcCookie = bindingCookie('orchard_oidc', {
  path: '/api/auth/oidc/',
  sameSite: 'lax',
  maxAgeMs: ATTEMPT_TTL_MS,
});
