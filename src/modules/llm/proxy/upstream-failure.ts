import type { AttemptErrorType } from '../gateway/classify-error.ts';

/** Statuses worth another provider: rate limits, timeouts, overload and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** The record's error type for a provider's error status. */
export function failureTypeOf(status: number): AttemptErrorType {
  if (status === 429) return 'rate_limited';
  if (status === 503 || status === 529) return 'overloaded';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server_error';
  if (status === 401 || status === 403) return 'auth';
  return 'client_error';
}

/** The message of a provider's error body: all three protocols put it at `error.message`. */
export function upstreamErrorMessage(status: number, body: Uint8Array): string {
  try {
    const message = JSON.parse(Buffer.from(body).toString('utf8'))?.error?.message;
    if (typeof message === 'string' && message) return `HTTP ${status}: ${message}`;
  } catch {
    // Not JSON: the status says enough.
  }
  return `HTTP ${status}`;
}

/** The reason a request or a body failed, with the system's code (ECONNREFUSED, …) when it has one. */
export function describeUpstreamError(error: unknown): string {
  const err = error as { message?: string; code?: string } | undefined;
  const message = err?.message ?? 'request failed';
  return err?.code && !message.includes(err.code) ? `${message} (${err.code})` : message;
}
