import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks out wherever they appear in a log object. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'value',
  '*.apiKey',
  'apiKey',
  'masterKey',
  'otherMasterKeys',
];

/**
 * Query parameters that carry credentials (Gemini clients send their key as `?key=`; an OIDC
 * provider sends the authorization code back as `?code=`).
 */
const CREDENTIAL_PARAMS = /([?&](?:key|api_key|apikey|token|access_token|code)=)[^&#]*/gi;

/** UI pages whose last path segment is a one-time secret (an invitation, a password reset). */
const SECRET_PAGES = /^(\/(?:invite|reset-password)\/)[^/?#]+/;

/** A request URL as it may be logged: credential parameters and one-time link secrets blanked. */
export function loggableUrl(url: string): string {
  const path = url.replace(SECRET_PAGES, '$1***');
  return path.includes('?') ? path.replace(CREDENTIAL_PARAMS, '$1***') : path;
}

/** What a request log line says about the request (Fastify's fields, the URL made loggable). */
function requestSummary(req: {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}) {
  return {
    method: req.method,
    url: req.url === undefined ? undefined : loggableUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

export interface LoggerOptions {
  level: string;
  /** Where lines go; tests pass a stream to capture them. Defaults to stdout. */
  destination?: NodeJS.WritableStream;
  base?: Record<string, unknown>;
}

/**
 * `trace_id` and `span_id` of the active span on every line written inside a trace (a request, a
 * step). Outside one — and always with tracing off, when no context is kept — a map lookup, nothing more.
 */
function traceFields(): Record<string, string> {
  const span = trace.getSpanContext(context.active());
  return span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}

/** JSON logs (pino) with secrets redacted by path, and the active trace's ids. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: options.base ?? { service: 'orchard' },
      redact: { paths: REDACT_PATHS, censor: '***' },
      // Fastify's request lines take this `req` serializer over its own.
      serializers: { req: requestSummary },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: traceFields,
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
