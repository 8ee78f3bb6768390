import { UnprocessableError } from '../errors.ts';

/**
 * Orchard's own origin, as the browser sees it: the configured public URL, else the origin the
 * request came to (development, `http://localhost:7300`). Passkeys are bound to it; single sign-on's
 * callback, one-time account links, MCP's resource metadata and git's refusals name it.
 */
export function orchardOrigin(publicUrl: string | undefined, request: { protocol: string; host: string }) {
  if (publicUrl) return new URL(publicUrl).origin;
  try {
    return new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    throw new UnprocessableError(`The request's host "${request.host}" is not a valid host name.`);
  }
}
