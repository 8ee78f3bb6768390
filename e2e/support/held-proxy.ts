import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hold {
  /** Resolves once a matching request has arrived (and is being held). */
  arrived: Promise<void>;
  /** Lets the held request through to the target. */
  release(): void;
}

export interface HeldProxy {
  url: string;
  /** Holds the next request whose body matches, until `release()`: the run is caught mid-way. */
  holdNext(match: (body: string) => boolean): Hold;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * A pass-through HTTP proxy in front of a server (the mock LLM), which can hold one request until
 * the test lets it go: what the browser shows in the middle of an agent's run is then certain,
 * not a matter of timing. Responses (streams included) are piped back as they come.
 */
export async function startHeldProxy(target: string): Promise<HeldProxy> {
  const to = new URL(target);
  let pending: { match: (body: string) => boolean; arrived: () => void; gate: Promise<void> } | undefined;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const hold = pending;
      if (hold?.match(body.toString('utf8'))) {
        pending = undefined;
        hold.arrived();
        await hold.gate;
      }
      const upstream = request(
        { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    holdNext(match) {
      let arrived!: () => void;
      let release!: () => void;
      const arrivedPromise = new Promise<void>((resolve) => (arrived = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      pending = { match, arrived, gate };
      return { arrived: arrivedPromise, release };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
