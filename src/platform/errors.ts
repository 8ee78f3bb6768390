/**
 * Typed domain errors. Each has a literal `code` and an HTTP status; exactly one mapper
 * (platform/http/problem.ts) turns them into RFC 9457 problem+json. Anything else is an
 * opaque 500, logged with the request id.
 */
export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `body.name` or `query.limit`. */
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  /** Extra members of the problem document (e.g. `conflicts`, `unmet`). */
  readonly extra: Record<string, unknown>;

  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.extra = extra;
  }
}

export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  readonly status = 400;
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message, issues.length ? { errors: issues } : {});
  }
}

export class UnauthorizedError extends DomainError {
  readonly code = 'unauthorized';
  readonly status = 401;
}

export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
  readonly status = 403;
}

/** A session of someone who must register a passkey first (the admin requires passkeys). */
export class PasskeyRequiredError extends DomainError {
  readonly code = 'passkey_required';
  readonly status = 403;
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  readonly status = 404;
}

export class ConflictError extends DomainError {
  readonly code = 'conflict';
  readonly status = 409;
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'payload_too_large';
  readonly status = 413;
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'unsupported_media_type';
  readonly status = 415;
}

export class UnprocessableError extends DomainError {
  readonly code = 'unprocessable';
  readonly status = 422;
}

export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited';
  readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retryAfter: retryAfterSeconds });
  }
}

export class UnavailableError extends DomainError {
  readonly code = 'unavailable';
  readonly status = 503;
}
