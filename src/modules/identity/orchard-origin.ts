import { UnprocessableError } from '../../platform/errors.ts';

/**
 * Orchard's own origin, as the browser sees it: the configured public URL, else the origin the
 * request came to (development, `http://localhost:7300`). Passkeys are bound to it, and single
 * sign-on's callback URL is made from it.
 */
export function orchardOrigin(publicUrl: string | undefined, request: { protocol: string; host: string }) {
  if (publicUrl) return new URL(publicUrl).origin;
  try {
    return new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    throw new UnprocessableError(`The request's host "${request.host}" is not a valid host name.`);
  }
}
