import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { apiBaseUrl, type ProviderKind } from '../providers/provider-entry.ts';

/**
 * Idle connections to providers are kept this long (lowered by a server's `Keep-Alive: timeout`
 * hint), as undici does, so the next request skips the TCP and TLS handshakes.
 */
const IDLE_SOCKET_MS = 4_000;

/** Keep-alive connection pools to the providers, one per scheme; closed with the HTTP server. */
export interface UpstreamAgents {
  http: http.Agent;
  https: https.Agent;
  /** Where `path` below a provider's API base is (each base is parsed once, not per request). */
  target(provider: { kind: ProviderKind; baseUrl: string }, path: string): UpstreamTarget;
  close(): void;
}

export function createUpstreamAgents(options: { idleSocketMs?: number } = {}): UpstreamAgents {
  // The agents' socket timeout only closes idle sockets: on a busy one nobody listens for it, so
  // a long generation with no byte for minutes is not cut.
  const timeout = options.idleSocketMs ?? IDLE_SOCKET_MS;
  const agents = {
    http: new http.Agent({ keepAlive: true, timeout }),
    https: new https.Agent({ keepAlive: true, timeout }),
  };
  const bases = new Map<string, (path: string) => UpstreamTarget>();
  return {
    ...agents,
    target(provider, path) {
      const key = `${provider.kind} ${provider.baseUrl}`;
      let base = bases.get(key);
      if (!base) {
        // Providers come and go by API; a few stale bases are harmless, an unbounded map is not.
        if (bases.size >= 100) bases.clear();
        base = upstreamBase(apiBaseUrl(provider.kind, provider.baseUrl));
        bases.set(key, base);
      }
      return base(path);
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** The provider's status and headers; its body streams on (decompressed, if it came compressed). */
export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Readable;
  /** Ends the exchange early (the client left, the relay stopped): the connection is dropped. */
  cancel(): void;
}

/** Why no response came: the connection failed, the headers took too long, or the client left. */
export class UpstreamRequestError extends Error {
  constructor(
    message: string,
    readonly kind: 'network' | 'headers_timeout' | 'aborted',
    readonly code?: string,
  ) {
    super(message);
    this.name = 'UpstreamRequestError';
  }
}

const DECODERS: Record<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/** Where a request goes: a provider's API base, parsed once, and the path below it. */
export interface UpstreamTarget {
  secure: boolean;
  hostname: string;
  port: number;
  /** The request path, query included. */
  path: string;
}

/** Splits a base URL once (per provider); `target` then only joins strings. */
export function upstreamBase(baseUrl: string): (path: string) => UpstreamTarget {
  const url = new URL(baseUrl);
  const secure = url.protocol === 'https:';
  const base = {
    secure,
    // IPv6 literals come bracketed in URLs, bare in the socket's host.
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 443 : 80,
  };
  const prefix = url.pathname.replace(/\/+$/, '');
  return (path) => ({ ...base, path: `${prefix}${path}` });
}

/**
 * POSTs `body` to `target` on a kept-alive connection and resolves at the response headers.
 * Node's `http.request` rather than `fetch`: the proxy needs bytes in and bytes out, and fetch's
 * Request, body tee and web streams cost more per request than the rest of the proxy's own work.
 * `headersTimeoutMs` bounds the wait for the headers only; `signal` (the client leaving) cancels
 * the exchange at any point, the body included.
 */
export function postUpstream(
  agents: UpstreamAgents,
  target: UpstreamTarget,
  options: {
    headers: Record<string, string>;
    body: Uint8Array | string;
    signal: AbortSignal;
    headersTimeoutMs?: number;
  },
): Promise<UpstreamResponse> {
  const { signal } = options;
  if (signal.aborted) return Promise.reject(new UpstreamRequestError('The client went away.', 'aborted'));
  const { secure } = target;
  const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
  return new Promise((resolve, reject) => {
    let failure: UpstreamRequestError | undefined;
    const request = (secure ? https : http).request({
      host: target.hostname,
      port: target.port,
      path: target.path,
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      headers: { ...options.headers, 'content-length': String(body.byteLength) },
    });
    const stop = (error: UpstreamRequestError) => {
      failure ??= error;
      request.destroy(error);
    };
    const onAbort = () => stop(new UpstreamRequestError('The client went away.', 'aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    const timer =
      options.headersTimeoutMs === undefined
        ? undefined
        : setTimeout(
            () =>
              stop(
                new UpstreamRequestError(
                  `no response headers within ${options.headersTimeoutMs} ms`,
                  'headers_timeout',
                ),
              ),
            options.headersTimeoutMs,
          );
    request.on('close', () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(failure ?? new UpstreamRequestError(error.message, 'network', error.code));
    });
    request.on('response', (response: IncomingMessage) => {
      clearTimeout(timer);
      // After the headers, an error belongs to the body (its reader sees it), not to this promise.
      request.removeAllListeners('error');
      request.on('error', () => undefined);
      const encoding = response.headers['content-encoding']?.trim().toLowerCase();
      const decode = encoding ? DECODERS[encoding] : undefined;
      let bodyStream: Readable = response;
      if (decode) {
        const decoder = decode();
        response.on('error', (error) => decoder.destroy(error));
        response.pipe(decoder);
        bodyStream = decoder;
      }
      resolve({
        status: response.statusCode ?? 502,
        headers: response.headers,
        body: bodyStream,
        cancel: () => {
          request.destroy();
          if (bodyStream !== response) bodyStream.destroy();
        },
      });
    });
    request.end(body);
  });
}
