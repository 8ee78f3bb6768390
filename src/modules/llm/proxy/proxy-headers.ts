import type { IncomingHttpHeaders } from 'node:http';
import { type Dialect, headerValue } from './dialect.ts';

/**
 * The headers sent upstream: the protocol's own (version, beta flags), content negotiation and
 * the provider's key. The client's key, cookies and everything else stay behind.
 */
export function upstreamHeaders(
  dialect: Dialect,
  client: IncomingHttpHeaders,
  apiKey: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const accept = headerValue(client, 'accept');
  if (accept) headers.accept = accept;
  for (const name of dialect.forwardedHeaders) {
    const value = headerValue(client, name);
    if (value) headers[name] = value;
  }
  if (dialect.kind === 'anthropic') headers['anthropic-version'] ??= '2023-06-01';
  if (apiKey) {
    const [name, value] = dialect.authHeader(apiKey);
    headers[name] = value;
  }
  return headers;
}

const PASSED_BACK = new Set([
  'content-type',
  'retry-after',
  'retry-after-ms',
  'x-should-retry',
  'request-id',
]);
const PASSED_BACK_PREFIXES = ['anthropic-ratelimit-', 'x-ratelimit-'];

/**
 * The provider's response headers the client's SDK acts on: content type, retry hints, rate-limit
 * state and the provider's request id. Transfer headers are the proxy's own (the body may have
 * been decompressed on the way).
 */
export function clientHeaders(upstream: IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined) continue;
    if (PASSED_BACK.has(name) || PASSED_BACK_PREFIXES.some((p) => name.startsWith(p)))
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
