import http from 'node:http';
import https from 'node:https';
import { blockedLiteral, guardedLookup } from './url-guard.ts';

export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  /** The first 64 KiB of the body (as text). */
  body: string;
}

const MAX_BODY = 64 * 1024;

/**
 * POSTs one delivery. Redirects are not followed (a 3xx is a failed delivery) and the target's
 * addresses are checked at connect time (names through `lookup`, address literals before the
 * request), so a hook cannot be pointed at the instance's network.
 */
export function sendWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { allowPrivate: boolean; timeoutMs: number; signal?: AbortSignal },
): Promise<WebhookResponse> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const refused = blockedLiteral(target.hostname, options.allowPrivate);
  if (refused) return Promise.reject(refused);
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(options.allowPrivate) as never,
        timeout: options.timeoutMs,
        signal: options.signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY) chunks.push(chunk.subarray(0, MAX_BODY - size));
          size += chunk.length;
        });
        response.on('end', () => {
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(response.headers))
            if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({
            status: response.statusCode ?? 0,
            headers: out,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no response within ${options.timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
