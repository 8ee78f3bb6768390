import type { IncomingMessage } from 'node:http';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request a proxy may send once more when its upstream connection broke before any answer (a
 * kept-alive socket the server closed as it was reused), as browsers do: an idempotent method
 * without a body.
 */
export function mayResend(req: IncomingMessage): boolean {
  return (
    IDEMPOTENT.has(req.method ?? '') && !req.headers['content-length'] && !req.headers['transfer-encoding']
  );
}
