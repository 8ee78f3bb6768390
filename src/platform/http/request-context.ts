import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../context.ts';
import { UnauthorizedError } from '../errors.ts';

/** The use-case context of an authenticated request. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.actor) throw new UnauthorizedError('Authentication required.');
  return { actor: request.actor, requestId: String(request.id), ip: request.ip };
}
