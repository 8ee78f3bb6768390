import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { isDatabaseUnavailable } from '../db/timeouts.ts';
import { DomainError, type FieldIssue, RateLimitedError, UnauthorizedError } from '../errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  requestId: string;
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  507: 'Insufficient Storage',
};

/** A problem document (also for answers that are not thrown errors, such as `/ready`'s 503). */
export function problem(
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): Problem {
  return {
    type: `/docs/problems#${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance: request.url.split('?')[0],
    code,
    requestId: String(request.id),
    ...extra,
  };
}

/** Turns zod issues into field issues named by where they came from (`body.name`, `query.limit`). */
export function fieldIssues(prefix: string, error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

function describe(issues: FieldIssue[]) {
  return issues.map((i) => `${i.field}: ${i.message}`).join('; ');
}

/** The one mapper from errors to RFC 9457 problem documents. */
export function toProblem(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof DomainError) {
    return problem(request, error.status, error.code, error.message, error.extra);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext ?? 'body';
    const issues = error.validation.map((v) => ({
      field: [context, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'is invalid',
    }));
    return problem(request, 400, 'validation_failed', describe(issues), { errors: issues });
  }
  if (error instanceof ZodError) {
    const issues = fieldIssues('', error);
    return problem(request, 400, 'validation_failed', describe(issues), { errors: issues });
  }
  const fe = error as FastifyError;
  switch (fe?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(
        request,
        413,
        'payload_too_large',
        'The request body is larger than this server accepts.',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(request, 415, 'unsupported_media_type', 'Send the body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(request, 400, 'validation_failed', 'The JSON body is empty; send an object.', {
        errors: [{ field: 'body', message: 'is empty' }],
      });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problem(request, 400, 'invalid_json', `The body is not valid JSON: ${fe.message}`);
    case 'FST_ERR_BAD_URL':
      return problem(
        request,
        400,
        'bad_url',
        'The URL has a percent-escape that is malformed or does not decode to UTF-8 text.',
      );
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return problem(request, 414, 'uri_too_long', 'A part of the URL path is longer than 500 characters.');
  }
  const refused = databaseRefusal(error);
  if (refused) return problem(request, 400, 'invalid_input', refused);
  if (error instanceof SyntaxError && (fe as { statusCode?: number }).statusCode === 400) {
    return problem(request, 400, 'invalid_json', `The body is not valid JSON: ${error.message}`);
  }
  if (isDatabaseUnavailable(error)) {
    return problem(
      request,
      503,
      'database_unavailable',
      'The database did not answer in time; try again shortly (/ready shows whether it is back).',
      { retryAfter: 5 },
    );
  }
  if (isStorageFull(error)) {
    return problem(
      request,
      507,
      'storage_full',
      "The server's disk is full, so nothing was saved. An operator must free space on it (docs/runbooks/full-disk.md); then try again.",
    );
  }
  const status = fe?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && !isResponseSerializationError(error)) {
    return problem(request, status, fe.code?.toLowerCase() ?? 'bad_request', fe.message);
  }
  return problem(
    request,
    500,
    'internal_error',
    `Something went wrong on our side. Quote request id ${request.id} when reporting it.`,
  );
}

/**
 * The last line of defence: PostgreSQL refusing a value (SQLSTATE class 22, data exception; class
 * 54, a value too large or too deep) means the input was bad, not the server. Validation should have
 * named the field first; the fuzz test fails if a request ever gets this far.
 */
function databaseRefusal(error: unknown): string | undefined {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  if (typeof code !== 'string' || typeof severity !== 'string') return undefined;
  if (code === '22003') return 'A number in the request is out of range.';
  if (code === '22021' || code === '22P05')
    return 'The request holds text that cannot be stored (a NUL or invalid Unicode).';
  if (code.startsWith('22')) return 'A value in the request is not in a form the server can store.';
  if (code.startsWith('54')) return 'A value in the request is too large or too deeply nested to store.';
  return undefined;
}

/**
 * The disk under the home or the database is full: PostgreSQL's `disk_full` (53100), a file write's
 * ENOSPC, or git saying so. Not the request's fault, and not a bug: the answer says what happened.
 */
export function isStorageFull(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === '53100' || code === 'ENOSPC') return true;
  return typeof message === 'string' && /No space left on device/.test(message);
}

export function sendProblem(reply: FastifyReply, body: Problem) {
  if (body.status === 401) reply.header('www-authenticate', 'Bearer realm="orchard"');
  if ((body.status === 429 || body.status === 503) && typeof body.retryAfter === 'number')
    reply.header('retry-after', String(body.retryAfter));
  return reply.status(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

export function isServerError(body: Problem) {
  return body.status >= 500;
}

export { RateLimitedError, UnauthorizedError };
