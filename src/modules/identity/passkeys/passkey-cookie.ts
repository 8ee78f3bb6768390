import type { FastifyReply, FastifyRequest } from 'fastify';
import { CHALLENGE_TTL_MS } from './passkey-challenges.ts';

/** Binds a pending WebAuthn challenge to the browser that asked for it (HTTP-only, API paths only). */
export const PASSKEY_COOKIE = 'orchard_passkey';

export function setPasskeyCookie(reply: FastifyReply, binding: string, secure: boolean) {
  reply.setCookie(PASSKEY_COOKIE, binding, {
    path: '/api/',
    httpOnly: true,
    sameSite: 'strict',
    secure,
    maxAge: CHALLENGE_TTL_MS / 1000,
  });
}

export function clearPasskeyCookie(reply: FastifyReply) {
  reply.clearCookie(PASSKEY_COOKIE, { path: '/api/' });
}

export function passkeyCookieOf(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[PASSKEY_COOKIE];
  return value && value.length <= 128 ? value : undefined;
}
