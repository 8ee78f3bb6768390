import type { IncomingHttpHeaders } from 'node:http';
import type { ProtocolName } from './protocol.ts';

/** One request as the mock received it, for tests to assert on. */
export interface RecordedRequest {
  method: string;
  /** Path with query string, e.g. `/v1beta/models/m:streamGenerateContent?alt=sse`. */
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, the raw text otherwise, `null` when empty. */
  body: unknown;
  protocol: ProtocolName | null;
}

// Credentials never belong in a log, even a test one: recorded requests are printed and served over HTTP.
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'x-goog-api-key']);

export function recordRequest(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  bodyText: string,
  body: unknown,
  protocol: ProtocolName | null,
): RecordedRequest {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name] = SECRET_HEADERS.has(name) ? '***' : Array.isArray(value) ? value.join(', ') : value;
  }
  const parsed = bodyText === '' ? null : (body ?? bodyText);
  return { method, path, headers: flat, body: parsed, protocol };
}
