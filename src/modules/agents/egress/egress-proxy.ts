/**
 * The egress proxy of one sandboxed run: an HTTP forward proxy on a Unix socket (reached from the
 * sandbox through the socket relay) that lets an agent's commands reach the hosts its project's
 * `network.allow` names, and nothing else. HTTPS (and any TCP) goes through `CONNECT host:port`
 * tunnels; plain HTTP as absolute-URI requests, each checked on its own (a kept-alive connection
 * cannot switch hosts past the check). A host is checked against the list before it is resolved
 * (a refused name is never looked up), then every address it resolves to is checked, and the proxy
 * connects to exactly those addresses: a DNS answer that changes in between (rebinding) cannot
 * lead it to this machine or a private network.
 */
import { lookup } from 'node:dns/promises';
import { chmod, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { addressRefusal } from './address-refusal.ts';
import { hostAllowed, normalizeHost } from './host-allowed.ts';

/** One connection the sandbox asked for, as it is recorded: never a path, a header or a body. */
export interface EgressAttempt {
  /** `CONNECT` for a tunnel (HTTPS), else the method of a plain HTTP request. */
  method: string;
  host: string;
  port: number;
  outcome: 'allowed' | 'refused' | 'failed';
  /** Why it was refused or failed. */
  reason?: string;
}

export interface EgressProxyOptions {
  /** `network.allow` of the project's agent profile. */
  allow: readonly string[];
  /** Where the proxy listens: a path the sandbox has bound. */
  socketPath: string;
  onAttempt?(attempt: EgressAttempt): void;
  /** Every address of a host name (default: the system resolver). */
  resolve?(host: string): Promise<string[]>;
  /** Why an address must not be connected to (default: addressRefusal); tests let loopback through. */
  refuseAddress?(address: string): string | undefined;
  connectTimeoutMs?: number;
}

export interface EgressProxy {
  socketPath: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  // Set from the request's own URL: a Host naming another server must not pick a virtual host past the check.
  'host',
]);

const NOT_LISTED = 'not in network.allow';

/** A transcript line for an attempt: "network: CONNECT registry.npmjs.org:443 allowed". */
export function describeAttempt(attempt: EgressAttempt): string {
  const target = `${attempt.method} ${attempt.host}:${attempt.port}`;
  return `network: ${target} ${attempt.outcome}${attempt.reason ? `: ${attempt.reason}` : ''}`;
}

type Verdict = { ok: true; socket: net.Socket } | { ok: false; status: number; phrase: string; body: string };

export async function openEgressProxy(options: EgressProxyOptions): Promise<EgressProxy> {
  const resolve = options.resolve ?? resolveAll;
  const refuseAddress = options.refuseAddress ?? addressRefusal;
  const timeoutMs = options.connectTimeoutMs ?? 15_000;
  const open = new Set<Duplex>();
  const track = (socket: Duplex) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  };
  const record = (attempt: EgressAttempt) => options.onAttempt?.(attempt);

  /** The policy, then the connection: a socket to the host, or the answer the client gets instead. */
  const reach = async (method: string, host: string, port: number): Promise<Verdict> => {
    const refuse = (status: number, reason: string, body: string): Verdict => {
      record({ method, host, port, outcome: status === 403 ? 'refused' : 'failed', reason });
      const phrase = status === 403 ? `Forbidden by Orchard: ${host} ${reason}` : 'Bad Gateway';
      return { ok: false, status, phrase, body: `${body}\n` };
    };
    // An address named outright is judged as an address: listing it would not help.
    const named = net.isIP(host) ? refuseAddress(host) : undefined;
    if (named)
      return refuse(
        403,
        `is ${named}`,
        `Orchard refused the connection to ${host}:${port}: it is ${named}. Agents never reach this machine or private networks, whatever network.allow says.`,
      );
    if (!hostAllowed(options.allow, host, port))
      return refuse(
        403,
        NOT_LISTED,
        `Orchard refused the connection to ${host}:${port}: it is not in network.allow. To let the agent reach it, add it to network.allow in .orchard/agent.yml on the default branch (a host name, *.domain for its subdomains, :port for a port other than 443 and 80).`,
      );
    let addresses: string[];
    try {
      addresses = net.isIP(host) ? [host] : await resolve(host);
    } catch {
      addresses = [];
    }
    if (!addresses.length) return refuse(502, 'cannot be resolved', `Orchard could not resolve ${host}.`);
    for (const address of addresses) {
      const why = refuseAddress(address);
      if (why)
        return refuse(
          403,
          `resolves to ${why}`,
          `Orchard refused the connection to ${host}:${port}: it resolves to ${why}. Agents never reach this machine or private networks, whatever network.allow says.`,
        );
    }
    try {
      const socket = await connectFirst(addresses, port, timeoutMs);
      track(socket);
      record({ method, host, port, outcome: 'allowed' });
      return { ok: true, socket };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      return refuse(
        502,
        `connection failed (${code})`,
        `Orchard could not connect to ${host}:${port} (${code}).`,
      );
    }
  };

  const server = http.createServer((req, res) => {
    void forward(req, res).catch(() => res.destroy());
  });

  const forward = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = absoluteUrl(req.url);
    if (!url) {
      res
        .writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
        .end("This is Orchard's egress proxy: send absolute http:// URLs, or CONNECT host:port for HTTPS.\n");
      return;
    }
    const host = normalizeHost(url.hostname);
    const port = Number(url.port) || 80;
    const verdict = await reach(req.method ?? 'GET', host, port);
    if (!verdict.ok) {
      res
        .writeHead(verdict.status, verdict.phrase, {
          'content-type': 'text/plain; charset=utf-8',
          'x-orchard-refused': '1',
        })
        .end(verdict.body);
      return;
    }
    if (req.socket.destroyed) return verdict.socket.destroy();
    const headers: string[] = ['host', url.host];
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      if (!HOP_BY_HOP.has(req.rawHeaders[i]!.toLowerCase()))
        headers.push(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const upstream = http.request({
      method: req.method,
      path: `${url.pathname}${url.search}`,
      headers,
      setHost: false,
      createConnection: () => verdict.socket,
    });
    upstream.on('response', (answer) => {
      const out: string[] = [];
      for (let i = 0; i < answer.rawHeaders.length; i += 2)
        if (!HOP_BY_HOP.has(answer.rawHeaders[i]!.toLowerCase()))
          out.push(answer.rawHeaders[i]!, answer.rawHeaders[i + 1]!);
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', () => {
      if (res.headersSent) res.destroy();
      else
        res.writeHead(502, { 'content-type': 'text/plain' }).end(`Orchard lost the connection to ${host}.\n`);
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  };

  server.on('connect', (req: http.IncomingMessage, client: Duplex, head: Buffer) => {
    track(client);
    client.on('error', () => client.destroy());
    const target = authority(req.url);
    if (!target) {
      const asked = String(req.url)
        .replace(/[^\x21-\x7e]/g, '?')
        .slice(0, 200);
      record({ method: 'CONNECT', host: asked, port: 0, outcome: 'refused', reason: 'not host:port' });
      client.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    void reach('CONNECT', target.host, target.port).then((verdict) => {
      if (!verdict.ok) {
        const body = Buffer.from(verdict.body);
        client.end(
          `HTTP/1.1 ${verdict.status} ${verdict.phrase}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nX-Orchard-Refused: 1\r\nConnection: close\r\n\r\n${verdict.body}`,
        );
        return;
      }
      const upstream = verdict.socket;
      if (client.destroyed) return upstream.destroy();
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
  });
  // WebSockets go through CONNECT (wss://); a plain-HTTP upgrade would need the forwarding above to pass raw bytes.
  server.on('upgrade', (_req, socket: Duplex) =>
    socket.end('HTTP/1.1 501 Not Implemented\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'),
  );
  server.on('connection', track);
  // A command could open connections until Orchard runs out of file descriptors; package managers use a few dozen.
  server.maxConnections = 256;

  await rm(options.socketPath, { force: true });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.socketPath, () => done());
  });
  // The sandbox's user (another uid when Orchard is root) must be able to connect.
  await chmod(options.socketPath, 0o666);
  return {
    socketPath: options.socketPath,
    async close() {
      for (const socket of open) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await rm(options.socketPath, { force: true });
    },
  };
}

/** The absolute http:// URL of a proxied request, or undefined (origin-form, https://, credentials). */
function absoluteUrl(raw: string | undefined): URL | undefined {
  try {
    const url = new URL(raw ?? '');
    return url.protocol === 'http:' && !url.username && !url.password && url.hostname ? url : undefined;
  } catch {
    return undefined;
  }
}

/** `host:port` or `[v6]:port` of a CONNECT request. */
function authority(raw: string | undefined): { host: string; port: number } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/.exec(raw ?? '');
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65_535) return undefined;
  return { host: normalizeHost(match[1]!), port };
}

/** A connection to the first of `addresses` that answers. */
async function connectFirst(addresses: string[], port: number, timeoutMs: number): Promise<net.Socket> {
  let last: unknown;
  for (const address of addresses) {
    try {
      return await new Promise<net.Socket>((done, fail) => {
        const socket = net.connect({ host: address, port });
        socket.setTimeout(timeoutMs, () =>
          socket.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
        );
        socket.once('connect', () => {
          socket.setTimeout(0);
          socket.off('error', fail);
          // Until the caller pipes it: a reset now must not become an unhandled error.
          socket.on('error', () => socket.destroy());
          done(socket);
        });
        socket.once('error', fail);
      });
    } catch (error) {
      last = error;
    }
  }
  throw last;
}

async function resolveAll(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((r) => r.address);
}
