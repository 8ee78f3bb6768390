import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, RateLimitedError, ValidationError } from '../../../platform/errors.ts';
import { toProblem } from '../../../platform/http/problem.ts';
import { LFS_JSON } from './schemas.ts';

const REALM = 'Basic realm="Orchard"';

/**
 * The one place LFS routes turn errors into what git-lfs reads: `{message, request_id}` as
 * `application/vnd.git-lfs+json` (extra members, such as a 409's `lock`, ride along). Validation
 * is a 422, as the LFS spec has it; a 401 asks for Basic credentials in both headers git-lfs
 * looks at. Anything that is not the client's fault is rethrown, so the server's own mapper logs
 * it, reports it and answers an opaque 500.
 */
export function sendLfsError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const answer = lfsError(error, request);
  if (!answer) throw error;
  request.log.info({ status: answer.status }, answer.body.message);
  if (answer.status === 401) reply.header('lfs-authenticate', REALM).header('www-authenticate', REALM);
  if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
  return reply.status(answer.status).type(LFS_JSON).send(answer.body);
}

function lfsError(
  error: unknown,
  request: FastifyRequest,
): { status: number; body: { message: string; request_id: string } & Record<string, unknown> } | undefined {
  const request_id = String(request.id);
  if (error instanceof DomainError) {
    const status = error instanceof ValidationError ? 422 : error.status;
    return { status, body: { ...error.extra, message: error.message, request_id } };
  }
  // Body parsers, the router, the rate limit: the server's mapper knows them; keep its verdict.
  const problem = toProblem(error, request);
  if (problem.status >= 500) return undefined;
  if (problem.status === 415)
    return {
      status: 415,
      body: {
        message: `Send JSON as ${LFS_JSON} (or application/json), and an object's bytes as application/octet-stream.`,
        request_id,
      },
    };
  const invalid = problem.code === 'validation_failed' || problem.code === 'invalid_json';
  return { status: invalid ? 422 : problem.status, body: { message: problem.detail, request_id } };
}
