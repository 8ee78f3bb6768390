import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { mayResend } from '../../platform/http/resendable.ts';
import { checkedLookup } from '../../platform/net/checked-lookup.ts';
import type { GuardVerdict, UrlGuard } from './url-guard.ts';

/** A request the guard refused: `route` = intercepted in the page, `proxy` = refused at connect time. */
export interface BlockedRequest {
  url: string;
  reason: string;
  layer: 'route' | 'proxy';
}

export interface GuardProxy {
  /** `http://127.0.0.1:<port>`, for the browser context's `proxy.server`. */
  server: string;
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
]);

/**
 * A forward proxy for one task's browser context. Route interception cannot see redirect hops or
 * WebSockets, and Chromium resolves names itself; every connection the browser makes goes through
 * here instead, is checked by the guard, and is opened to the addresses the guard checked.
 */
export async function startGuardProxy(
  guard: UrlGuard,
  onBlocked: (blocked: BlockedRequest) => void,
): Promise<GuardProxy> {
  const tunnels = new Set<Duplex>();
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    void forward(req, res).catch(() => res.destroy());
  });

  const forward = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const target = parseAbsolute(req.url);
    if (target?.protocol !== 'http:') {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('This proxy only forwards http:// requests');
      return;
    }
    const verdict = await guard.check(target);
    if (!verdict.allowed) {
      onBlocked({ url: target.href, reason: verdict.reason, layer: 'proxy' });
      res
        .writeHead(403, { 'content-type': 'text/plain', 'x-orchard-blocked': '1' })
        .end(`Blocked: ${verdict.reason}`);
      return;
    }
    const headers: string[] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      if (!HOP_BY_HOP.has(req.rawHeaders[i]!.toLowerCase()))
        headers.push(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    }
    const bodiless = mayResend(req);
    const send = (fresh: boolean) => {
      const upstream = http.request({
        hostname: target.hostname.replace(/^\[|\]$/g, ''),
        port: Number(target.port) || 80,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers,
        agent: fresh ? false : agent,
        lookup: pinnedLookup(verdict),
      });
      upstream.on('response', (answer) => {
        const out: string[] = [];
        for (let i = 0; i < answer.rawHeaders.length; i += 2) {
          if (!HOP_BY_HOP.has(answer.rawHeaders[i]!.toLowerCase()))
            out.push(answer.rawHeaders[i]!, answer.rawHeaders[i + 1]!);
        }
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      });
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (res.headersSent) return res.destroy();
        // A kept-alive connection the server closed just as it was reused: a request without a
        // body is sent once more over a fresh one, as a browser would.
        if (upstream.reusedSocket && bodiless && !fresh && !res.destroyed) return send(true);
        res
          .writeHead(502, { 'content-type': 'text/plain' })
          .end(`Upstream connection failed (${error.code ?? error.message})`);
      });
      res.once('close', () => upstream.destroy());
      if (bodiless) upstream.end();
      else req.pipe(upstream);
    };
    send(false);
  };

  // https:// and ws(s):// arrive as CONNECT host:port tunnels.
  server.on('connect', (req: http.IncomingMessage, client: Duplex, head: Buffer) => {
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    client.on('error', () => client.destroy());
    const target = parseAuthority(req.url);
    const url = target ? `https://${req.url}` : String(req.url);
    void (
      target
        ? guard.checkTarget(target)
        : Promise.resolve<GuardVerdict>({ allowed: false, reason: 'bad CONNECT target' })
    ).then((verdict) => {
      if (!verdict.allowed || !target) {
        onBlocked({ url, reason: verdict.allowed ? 'bad CONNECT target' : verdict.reason, layer: 'proxy' });
        client.end('HTTP/1.1 403 Forbidden\r\nx-orchard-blocked: 1\r\n\r\n');
        return;
      }
      const upstream: Socket = tcpConnect({
        host: target.hostname,
        port: target.port,
        lookup: pinnedLookup(verdict),
        autoSelectFamily: true,
      });
      tunnels.add(upstream);
      upstream.on('close', () => tunnels.delete(upstream));
      upstream.once('connect', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
      client.on('close', () => upstream.destroy());
    });
  });
  // Plain-HTTP upgrades are not expected from Chromium (it tunnels WebSockets); refuse rather than guess.
  server.on('upgrade', (_req, socket: Duplex) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    server: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of tunnels) socket.destroy();
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseAbsolute(raw: string | undefined): URL | undefined {
  try {
    return raw ? new URL(raw) : undefined;
  } catch {
    return undefined;
  }
}

function parseAuthority(raw: string | undefined): { hostname: string; port: number } | undefined {
  const match = raw ? /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(raw) : null;
  if (!match) return undefined;
  return { hostname: match[1]!.replace(/^\[|\]$/g, '').toLowerCase(), port: Number(match[2]) };
}

/** A `lookup` that answers with the addresses the guard checked, never asking DNS again. */
function pinnedLookup(verdict: GuardVerdict & { allowed: true }) {
  const records: LookupAddress[] = verdict.addresses.map((address) => ({ address, family: isIP(address) }));
  return checkedLookup(async () => records);
}
