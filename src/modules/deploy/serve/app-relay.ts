import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../../../platform/log.ts';
import { createAppProxy, type Destination } from './proxy.ts';
import { RELAY_HEADER, type RelayCredential } from './relay-credential.ts';

export interface AppRelayOptions {
  /** Where to listen: `host:port` (`0.0.0.0:7400` in a pod; port 0 picks one). */
  listen: { host: string; port: number };
  domain: string;
  /** The local supervisor's route for a label: the relay reaches only apps this process runs. */
  local(label: string): Destination | undefined;
  credential: RelayCredential;
  logger: Logger;
}

export interface AppRelay {
  /** The address it listens on (the port filled in when 0 was asked for). */
  readonly address: { host: string; port: number };
  close(): Promise<void>;
}

const refuse = (res: ServerResponse) => {
  res.writeHead(403, { 'content-type': 'application/problem+json', 'cache-control': 'no-store' });
  res.end(
    JSON.stringify({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail:
        "This is an Orchard app relay: it answers only Orchard's own proxy. Open the app at its environment's address instead.",
    }),
  );
};

/**
 * The app relay of a process that supervises apps (a worker, `orchard up`) when Orchard runs on
 * several machines: apps listen on their machine's loopback, so the proxy of a server elsewhere
 * sends an app's requests and websockets here, with the relay credential and the app's Host; the
 * relay checks the credential, removes it, and passes the request to the app it runs, keeping the
 * X-Forwarded-* the first proxy set. The access gate and page views stay with the first proxy.
 */
export async function startAppRelay(o: AppRelayOptions): Promise<AppRelay> {
  const proxy = createAppProxy({
    domain: o.domain,
    logger: o.logger,
    local: o.local,
    // Only what runs here: a label this process does not supervise (any more) is not found.
    lookup: async () => ({ kind: 'unknown' }),
    trustForwarded: true,
    dropHeaders: [RELAY_HEADER],
  });
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!o.credential.verify(req.headers[RELAY_HEADER])) return refuse(res);
    if (!proxy.handle(req, res)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not an app host.\n');
    }
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!o.credential.verify(req.headers[RELAY_HEADER])) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    if (!proxy.upgrade(req, socket, head)) socket.destroy();
  });
  // The first proxy keeps connections alive for 4 s; stay open longer so it closes them first.
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.listen.port, o.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const address = {
    host: o.listen.host,
    port: typeof bound === 'object' && bound ? bound.port : o.listen.port,
  };
  o.logger.info({ relay: `${address.host}:${address.port}` }, 'deploy: app relay listening');
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
