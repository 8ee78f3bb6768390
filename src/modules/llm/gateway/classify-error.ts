import { APICallError } from 'ai';
import { parseRetryAfter } from './backoff.ts';

export type AttemptErrorType =
  | 'rate_limited'
  | 'overloaded'
  | 'server_error'
  | 'timeout'
  | 'connect_timeout'
  | 'first_token_timeout'
  | 'idle_timeout'
  | 'network'
  | 'truncated'
  | 'malformed'
  | 'stream_error'
  | 'auth'
  | 'client_error'
  | 'prefill_rejected'
  | 'not_configured';

export interface AttemptFailure {
  type: AttemptErrorType;
  /** Worth trying the same model again (after a backoff). */
  retryable: boolean;
  /** Says something about the provider's health (counts toward its circuit breaker). */
  providerFault: boolean;
  status?: number;
  retryAfterMs?: number;
  /** Safe to log and store: API keys masked by the caller of classify. */
  message: string;
}

const RETRYABLE_STATUS = (status: number) => [408, 409, 429].includes(status) || status >= 500;

/** Maps what the AI SDK threw (or put in an `error` part) to one failure type. */
export function classifyError(error: unknown, nowMs: number): AttemptFailure {
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const message = error.message;
    if (status === undefined || status < 300) {
      // The body broke after a 200 (TCP reset: undici "terminated"), or fetch itself failed.
      return {
        type: 'network',
        retryable: true,
        providerFault: true,
        message: withCause(message, error.cause),
      };
    }
    const retryAfterMs = parseRetryAfter(error.responseHeaders, nowMs) ?? retryInfoDelay(error.responseBody);
    const base = { status, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    if (status === 429) return { ...base, type: 'rate_limited', retryable: true, providerFault: true };
    if (status === 529 || status === 503)
      return { ...base, type: 'overloaded', retryable: true, providerFault: true };
    if (RETRYABLE_STATUS(status)) {
      return {
        ...base,
        type: status === 408 ? 'timeout' : 'server_error',
        retryable: true,
        providerFault: true,
      };
    }
    if (status === 401 || status === 403)
      return { ...base, type: 'auth', retryable: false, providerFault: false };
    return { ...base, type: 'client_error', retryable: false, providerFault: false };
  }
  const name = (error as { name?: string } | null)?.name ?? '';
  if (name === 'AI_JSONParseError' || name === 'AI_TypeValidationError') {
    return { type: 'malformed', retryable: true, providerFault: true, message: messageOf(error) };
  }
  if (name === 'AI_InvalidResponseDataError' && /ended without a finish reason/i.test(messageOf(error))) {
    return { type: 'truncated', retryable: true, providerFault: true, message: messageOf(error) };
  }
  if (name === 'TypeError' || (error as { code?: string } | null)?.code?.startsWith?.('E')) {
    return {
      type: 'network',
      retryable: true,
      providerFault: true,
      message: withCause(messageOf(error), (error as Error).cause),
    };
  }
  // An error event inside a 200 stream (Anthropic `event: error`, an OpenAI-style `{"error":…}` chunk).
  return { type: 'stream_error', retryable: true, providerFault: true, message: messageOf(error) };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object') {
    const e = error as { message?: unknown; error?: { message?: unknown; type?: unknown } };
    const inner = e.error && typeof e.error === 'object' ? e.error : e;
    const type =
      typeof (inner as { type?: unknown }).type === 'string' ? `${(inner as { type: string }).type}: ` : '';
    if (typeof inner.message === 'string') return `${type}${inner.message}`;
  }
  return String(error).slice(0, 300);
}

function withCause(message: string, cause: unknown): string {
  const detail = cause instanceof Error ? cause.message : undefined;
  return detail && !message.includes(detail) ? `${message} (${detail})` : message;
}

/** Gemini puts its retry hint in the error body: `details[{"@type": "…RetryInfo", "retryDelay": "34s"}]`. */
function retryInfoDelay(body: string | undefined): number | undefined {
  const match = body && /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(body);
  return match ? Number(match[1]) * 1000 : undefined;
}
