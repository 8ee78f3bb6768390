import type { FastifyReply } from 'fastify';

export const SESSION_COOKIE = 'orchard_session';
export const CSRF_COOKIE = 'orchard_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The session cookie is HTTP-only; the CSRF cookie is readable by the page, which echoes it in a header. */
export function setSessionCookies(
  reply: FastifyReply,
  session: { id: string; csrfToken: string; expiresAt: Date },
  secure: boolean,
) {
  const base = { path: '/', sameSite: 'lax' as const, secure, expires: session.expiresAt };
  reply.setCookie(SESSION_COOKIE, session.id, { ...base, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...base, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
