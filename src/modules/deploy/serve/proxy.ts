import {
  Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import { connect, type Socket } from 'node:net';
import { mayResend } from '../../../platform/http/resendable.ts';
import type { Logger } from '../../../platform/log.ts';
import type { AppAccessGate } from '../access/app-access-gate.ts';
import { stripOrchardCookies } from '../access/app-access-gate.ts';
import { labelFromHost } from './host-label.ts';
import { PROXY_ERROR_HEADER, sendProxyPage } from './proxy-pages.ts';

/**
 * Where a label's traffic goes right now: an app on this machine's loopback, or (`host` set) the
 * app relay of the Orchard process that supervises it elsewhere, with the headers that relay needs.
 */
export type Destination =
  | { kind: 'up'; port: number; host?: string; headers?: Record<string, string>; enter?: () => () => void }
  | { kind: 'down'; status: string }
  /** A sleeping app being started for this request: where to go once it is up (or why it is not). */
  | { kind: 'waking'; ready: Promise<Exclude<Destination, { kind: 'waking' }>> }
  | { kind: 'unknown' };

/** Where traffic goes once any wake has finished. */
export type Settled = Exclude<Destination, { kind: 'waking' }>;

export interface AppProxyOptions {
  domain: string;
  /** The local supervisor's route for a label — synchronous, so a swap is atomic for new requests. */
  local(label: string): Destination | undefined;
  /** For labels not supervised in this process (another Orchard on this machine runs the app). */
  lookup(label: string): Promise<Destination>;
  logger: Logger;
  /** Who may see a private environment (absent: every environment is public). */
  gate?: AppAccessGate;
  /** Cookies of Orchard's own that are never passed on to an app. */
  stripCookies?: readonly string[];
  /**
   * Told of each page the app served (a GET answered 2xx with HTML): the label and the request's
   * path with its query. Called on the request path, so it must only note it (the analytics
   * service counts in memory and writes in batches).
   */
  pageView?(label: string, url: string): void;
  /**
   * Keep the request's own X-Forwarded-* (the app relay: they were set by the proxy that relayed
   * it) instead of adding this hop.
   */
  trustForwarded?: boolean;
  /** Request headers (lower case) never passed on, on any path: the relay's credential. */
  dropHeaders?: readonly string[];
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function endToEnd(
  headers: IncomingHttpHeaders,
  drop: readonly string[] = [],
): Record<string, string | string[]> {
  const listed = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase()),
  );
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name) || drop.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

const FORWARDED = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port'] as const;

function forwardedHeaders(req: IncomingMessage, trusted = false): Record<string, string> {
  if (trusted) {
    const out: Record<string, string> = {};
    for (const name of FORWARDED) {
      const value = req.headers[name];
      if (value !== undefined) out[name] = String(value);
    }
    return out;
  }
  const ip = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  return {
    'x-forwarded-for': prior ? `${prior}, ${ip}` : ip,
    'x-forwarded-host': req.headers.host ?? '',
    'x-forwarded-proto': String(req.headers['x-forwarded-proto'] ?? 'http'),
    'x-forwarded-port': String(req.socket.localPort ?? ''),
  };
}

/** A page a browser loaded: a GET answered 2xx with HTML (what analytics counts). */
function servedPage(req: IncomingMessage, status: number, headers: IncomingHttpHeaders): boolean {
  return (
    req.method === 'GET' &&
    status >= 200 &&
    status < 300 &&
    String(headers['content-type'] ?? '').startsWith('text/html')
  );
}

/**
 * The host-based reverse proxy in front of deployed apps: `<env>--<slug>.<domain>` → the
 * environment's current process on 127.0.0.1, or the app relay of the Orchard process that runs it
 * on another machine (see app-relay.ts). Streams both ways over a keep-alive agent, passes
 * websockets through, answers 404 for an unknown environment and 502 when its app is down.
 */
export function createAppProxy(options: AppProxyOptions) {
  // The agent destroys a free keep-alive socket after `timeout` idle ms: before the app's own idle
  // timeout (Node's default is 5 s) could close it under a request being sent on it.
  const agent = new Agent({ keepAlive: true, maxFreeSockets: 64, timeout: 4_000 });
  const drop = options.dropHeaders ?? [];
  const trusted = options.trustForwarded ?? false;

  const resolve = (label: string): Settled | Promise<Settled> => {
    const dest = options.local(label) ?? options.lookup(label);
    if (dest instanceof Promise) return dest.then((d) => (d.kind === 'waking' ? d.ready : d));
    return dest.kind === 'waking' ? dest.ready : dest;
  };

  /** The label's destination now (after any wake), or undefined when it could not be looked up. */
  const settle = (label: string): Promise<Settled | undefined> =>
    Promise.resolve(resolve(label)).catch(() => undefined);

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    dest: Settled,
    host: string,
    label: string,
    attempt = 1,
  ) => {
    if (dest.kind === 'unknown') {
      return sendProxyPage(
        res,
        404,
        'No such environment',
        `Nothing is deployed at ${host}.`,
        'no such environment',
      );
    }
    if (dest.kind === 'down') {
      return sendProxyPage(
        res,
        502,
        'The app is not running',
        `The app at ${host} is not running (status: ${dest.status}); its log in Orchard says why. Retrying in a moment may help.`,
        `app not running (${dest.status})`,
      );
    }
    const done = dest.enter?.() ?? (() => undefined);
    res.once('close', done);
    const headers = { ...endToEnd(req.headers, drop), ...forwardedHeaders(req, trusted), ...dest.headers };
    const cookie = stripOrchardCookies(req.headers.cookie, options.stripCookies ?? []);
    if (cookie === undefined) delete headers.cookie;
    else headers.cookie = cookie;
    const bodiless = mayResend(req);
    const upstream = request({
      host: dest.host ?? '127.0.0.1',
      port: dest.port,
      method: req.method,
      path: req.url,
      headers,
      // A resend goes over a connection of its own: another kept-alive one may be as stale.
      agent: attempt === 1 ? agent : false,
    });
    upstream.on('response', (answer) => {
      const status = answer.statusCode ?? 502;
      if (options.pageView && servedPage(req, status, answer.headers))
        options.pageView(label, req.url ?? '/');
      // The proxy's reason header is believed from another Orchard's app relay, never from an app.
      const own = dest.headers ? [] : [PROXY_ERROR_HEADER];
      res.writeHead(status, answer.statusMessage, endToEnd(answer.headers, own));
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    const fail = (error: NodeJS.ErrnoException) => {
      if (res.headersSent) return res.destroy();
      options.logger.debug({ err: error, host }, 'proxy: upstream failed');
      sendProxyPage(
        res,
        502,
        'The app did not answer',
        `The app at ${host} is not reachable (${error.code ?? error.message}).`,
        `no answer from the app (${error.code ?? 'error'}${attempt > 1 ? ', sent twice' : ''})`,
      );
    };
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent || !bodiless || attempt > 1) return fail(error);
      // A request without a body that got no answer is sent once more (as browsers resend an
      // idempotent request), to wherever the label's traffic goes now and over a fresh connection:
      // the app closed a kept-alive socket just as it was reused, a swap (or sleep) stopped the
      // process it was sent to, or a connection broke on its way in.
      void settle(label).then((next) => {
        if (res.destroyed) return; // its 'close' has let the process go
        if (!next) return fail(error);
        res.off('close', done);
        done();
        forward(req, res, next, host, label, 2);
      });
    });
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (bodiless) upstream.end();
    else req.pipe(upstream);
  };

  /** Sends the request on to the label's app, or answers why it cannot. */
  const route = (req: IncomingMessage, res: ServerResponse, label: string, host: string) => {
    const dest = resolve(label);
    if (dest instanceof Promise) {
      dest.then(
        (d) => forward(req, res, d, host, label),
        (error) => {
          options.logger.error({ err: error, host }, 'proxy: lookup failed');
          sendProxyPage(
            res,
            502,
            'The app is not reachable',
            'Orchard could not look this environment up.',
            'lookup failed',
          );
        },
      );
    } else {
      forward(req, res, dest, host, label);
    }
  };

  return {
    /** The `hostRouter` of the HTTP server: true when the Host names a deployed app (then it is handled here). */
    handle(req: IncomingMessage, res: ServerResponse): boolean {
      const label = labelFromHost(req.headers.host, options.domain);
      if (!label) return false;
      const host = req.headers.host ?? label;
      if (!options.gate) {
        route(req, res, label, host);
        return true;
      }
      options.gate.check(label, req).then(
        (decision) => {
          if (decision.kind === 'forward') return route(req, res, label, host);
          res.writeHead(decision.status, decision.headers);
          res.end(decision.body);
        },
        (error) => {
          options.logger.error({ err: error, host }, 'proxy: the access check failed');
          sendProxyPage(
            res,
            502,
            'The app is not reachable',
            'Orchard could not check who may see it.',
            'access check failed',
          );
        },
      );
      return true;
    },

    /** Websocket (and other Upgrade) requests for a deployed app are tunnelled to it; false when not an app host. */
    upgrade(req: IncomingMessage, socket: Socket, head: Buffer): boolean {
      const label = labelFromHost(req.headers.host, options.domain);
      if (!label) return false;
      socket.on('error', () => socket.destroy());
      // A private environment's websocket needs the same access as its pages (no redirects here).
      const allowed = options.gate
        ? options.gate.check(label, req).then((d) => d.kind === 'forward')
        : Promise.resolve(true);
      void allowed
        .then((ok) => (ok ? resolve(label) : undefined))
        .then(
          (dest) => {
            if (!dest) {
              socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
              return;
            }
            if (dest.kind !== 'up') {
              socket.end(
                `HTTP/1.1 ${dest.kind === 'unknown' ? '404 Not Found' : '502 Bad Gateway'}\r\n${PROXY_ERROR_HEADER}: ${dest.kind === 'unknown' ? 'no such environment' : `app not running (${dest.status})`}\r\nconnection: close\r\n\r\n`,
              );
              return;
            }
            const done = dest.enter?.() ?? (() => undefined);
            const upstream = connect(dest.port, dest.host ?? '127.0.0.1', () => {
              let preamble = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
              for (let i = 0; i < req.rawHeaders.length; i += 2) {
                const name = req.rawHeaders[i]!;
                if (/^x-forwarded-(for|host|proto|port)$/i.test(name)) continue;
                if (drop.includes(name.toLowerCase())) continue;
                if (/^cookie$/i.test(name)) {
                  const kept = stripOrchardCookies(req.rawHeaders[i + 1], options.stripCookies ?? []);
                  if (kept) preamble += `${name}: ${kept}\r\n`;
                  continue;
                }
                preamble += `${name}: ${req.rawHeaders[i + 1]}\r\n`;
              }
              for (const [k, v] of Object.entries({ ...forwardedHeaders(req, trusted), ...dest.headers }))
                preamble += `${k}: ${v}\r\n`;
              upstream.write(`${preamble}\r\n`);
              if (head.length) upstream.write(head);
              socket.pipe(upstream).pipe(socket);
            });
            const close = () => {
              done();
              socket.destroy();
              upstream.destroy();
            };
            upstream.on('error', close);
            upstream.on('close', close);
            socket.on('close', close);
          },
          () => socket.destroy(),
        );
      return true;
    },

    close() {
      agent.destroy();
    },
  };
}

export type AppProxy = ReturnType<typeof createAppProxy>;
