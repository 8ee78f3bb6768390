import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Binds a pending sign-in to the browser that started it (HTTP-only, sign-on paths only).
 * `SameSite=Lax`, not Strict: the provider sends the browser back with a top-level navigation from
 * its own site, and a Strict cookie would stay behind.
 */
export const OIDC_COOKIE = 'orchard_oidc';
const PATH = '/api/auth/oidc/';

export function setOidcCookie(reply: FastifyReply, binding: string, secure: boolean, maxAgeMs: number) {
  reply.setCookie(OIDC_COOKIE, binding, {
    path: PATH,
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: Math.floor(maxAgeMs / 1000),
  });
}

export function clearOidcCookie(reply: FastifyReply) {
  reply.clearCookie(OIDC_COOKIE, { path: PATH });
}

export function oidcCookieOf(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[OIDC_COOKIE];
  return value && value.length <= 128 ? value : undefined;
}
