import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/pool.ts';
import { UnauthorizedError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { authenticateToken } from '../identity/index.ts';

/**
 * Git clients authenticate with HTTP Basic: any user name and an API token as the password (a
 * token given as the user name with an empty password works too, as with GitHub). A Bearer
 * header (`git -c http.extraHeader=…`) is accepted as well.
 */
export async function authenticateGitRequest(
  db: Queryable,
  clock: Clock,
  request: FastifyRequest,
): Promise<Actor> {
  const header = request.headers.authorization;
  if (!header)
    throw new UnauthorizedError(
      'Authentication required: use any user name and an API token as the password.',
    );
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return authenticateToken(db, clock, value);
  if (scheme !== 'basic')
    throw new UnauthorizedError('Use HTTP Basic auth with an API token as the password.');
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  const token = password || user;
  if (!token) throw new UnauthorizedError('Send an API token as the password.');
  return authenticateToken(db, clock, token);
}
