import { bindingCookie } from '../binding-cookie.ts';
import { CHALLENGE_TTL_MS } from './passkey-challenges.ts';

/** Binds a pending WebAuthn challenge to the browser that asked for it (HTTP-only, API paths only). */
export const passkeyCookie = bindingCookie('orchard_passkey', {
  path: '/api/',
  sameSite: 'strict',
  maxAgeMs: CHALLENGE_TTL_MS,
});
