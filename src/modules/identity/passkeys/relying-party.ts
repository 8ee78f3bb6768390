import { isIP } from 'node:net';
import { UnprocessableError } from '../../../platform/errors.ts';
import { orchardOrigin } from '../../../platform/http/orchard-origin.ts';

/** Who the passkeys belong to: the WebAuthn relying party id (a host name) and the one origin allowed. */
export interface RelyingParty {
  rpID: string;
  origin: string;
  name: string;
}

/**
 * Orchard's own origin, decided as elsewhere (MCP metadata, the push scan): the configured public
 * URL, else the origin the request came to (development, `http://localhost:7300`). Answers are
 * verified against exactly this origin and host, so a passkey made for another origin or a
 * response relayed from another site fails.
 */
export function relyingParty(publicUrl: string | undefined, request: { protocol: string; host: string }) {
  const origin = orchardOrigin(publicUrl, request);
  const rpID = new URL(origin).hostname;
  if (isIP(rpID.replace(/^\[|\]$/g, '')))
    throw new UnprocessableError(
      `Passkeys need Orchard to be reached by a host name, not the address ${rpID} (browsers refuse it): open it at http://localhost:<port>, or set publicUrl to its name.`,
    );
  return { rpID, origin, name: 'Orchard' } satisfies RelyingParty;
}
