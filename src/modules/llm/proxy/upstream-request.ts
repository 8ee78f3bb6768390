import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * Idle connections to providers are kept this long (lowered by a server's `Keep-Alive: timeout`
 * hint), as undici does, so the next request skips the TCP and TLS handshakes.
 */
const IDLE_SOCKET_MS = 4_000;

/** Keep-alive connection pools to the providers, one per scheme; closed with the HTTP server. */
export interface UpstreamAgents {
  http: http.Agent;
  https: https.Agent;
  close(): void;
}

export function createUpstreamAgents(): UpstreamAgents {
  const agents = {
    http: new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    https: new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };
  return {
    ...agents,
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

/**
 * POSTs `body` to `url` on a kept-alive connection and resolves at the response headers. Node's
 * `http.request` rather than `fetch`: the proxy needs bytes in and bytes out, and fetch's Request,
 * body tee and web streams cost more per request than the rest of the proxy's own work.
 * `headersTimeoutMs` bounds the wait for the headers only; `signal` (the client leaving) cancels
 * the exchange at any point, the body included.
 */
export function postUpstream(
  agents: UpstreamAgents,
  url: URL,
  options: {
    headers: Record<string, string>;
    body: Uint8Array | string;
    signal: AbortSignal;
    headersTimeoutMs?: number;
  },
): Promise<UpstreamResponse> {
  const { signal } = options;
  if (signal.aborted) return Promise.reject(new UpstreamRequestError('The client went away.', 'aborted'));
  const secure = url.protocol === 'https:';
  const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
  return new Promise((resolve, reject) => {
    let failure: UpstreamRequestError | undefined;
    const request = (secure ? https : http).request(url, {
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
