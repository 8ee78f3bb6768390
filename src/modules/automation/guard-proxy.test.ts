import { createServer, request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BlockedRequest, type GuardProxy, startGuardProxy } from './guard-proxy.ts';
import { startTestSite, type TestSite } from './test-site.test-support.ts';
import { createUrlGuard } from './url-guard.ts';

let site: TestSite;
let proxy: GuardProxy;
const blocked: BlockedRequest[] = [];

beforeAll(async () => {
  site = await startTestSite();
  proxy = await startGuardProxy(
    createUrlGuard({ environment: [{ hostname: '127.0.0.1', port: site.port }] }),
    (b) => blocked.push(b),
  );
});
afterAll(async () => {
  await proxy?.close();
  await site?.close();
});

/** Sends raw bytes to the proxy and collects everything it answers until it closes or `done` matches. */
function exchange(send: (socket: ReturnType<typeof connect>) => void, done: RegExp): Promise<string> {
  const { port } = new URL(proxy.server);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => send(socket));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (done.test(text)) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('guard proxy', () => {
  it('forwards absolute-form http requests to allowed targets', async () => {
    const answer = await exchange(
      (s) =>
        s.write(
          `GET ${site.url}/app.js HTTP/1.1\r\nHost: 127.0.0.1:${site.port}\r\nConnection: close\r\n\r\n`,
        ),
      /ready/,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('document.body.dataset.ready');
  });

  it('tunnels CONNECT to an allowed target and refuses a disallowed one, recording it', async () => {
    const tunnel = await exchange((s) => {
      s.write(`CONNECT 127.0.0.1:${site.port} HTTP/1.1\r\nHost: 127.0.0.1:${site.port}\r\n\r\n`);
      s.once('data', () => s.write(`GET /app.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    }, /ready/);
    expect(tunnel).toMatch(/^HTTP\/1\.1 200 Connection Established\r\n\r\nHTTP\/1\.1 200 OK/);

    const refused = await exchange(
      (s) => s.write('CONNECT 169.254.169.254:443 HTTP/1.1\r\nHost: 169.254.169.254:443\r\n\r\n'),
      /\r\n\r\n/,
    );
    expect(refused).toMatch(/^HTTP\/1\.1 403 Forbidden/);
    expect(blocked).toContainEqual({
      url: 'https://169.254.169.254:443',
      reason: expect.stringMatching(/169\.254\.169\.254/),
      layer: 'proxy',
    });
  });

  it('refuses requests that are not proxy requests', async () => {
    const answer = await exchange(
      (s) => s.write('GET /app.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      /\r\n\r\n/,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
  });
});

describe('guard proxy, when a kept-alive connection breaks', () => {
  it('sends a bodiless request again over a fresh connection, as a browser would', async () => {
    // The second request that arrives on a reused connection finds it closed, unanswered: what a
    // server's keep-alive timeout does to a connection reused at that moment.
    let requests = 0;
    const server = createServer((req, res) => {
      requests += 1;
      if (requests === 2) return req.socket.destroy();
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`answer ${requests}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const own = await startGuardProxy(
      createUrlGuard({ environment: [{ hostname: '127.0.0.1', port }] }),
      () => {},
    );
    try {
      const get = (path: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const { port: proxyPort } = new URL(own.server);
          request(
            {
              host: '127.0.0.1',
              port: Number(proxyPort),
              path: `http://127.0.0.1:${port}${path}`,
              agent: false,
            },
            (res) => {
              let body = '';
              res.on('data', (c: Buffer) => (body += c.toString()));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
            },
          )
            .on('error', reject)
            .end();
        });
      expect(await get('/one')).toEqual({ status: 200, body: 'answer 1' });
      expect(await get('/two')).toEqual({ status: 200, body: 'answer 3' });
      expect(requests).toBe(3);
    } finally {
      await own.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
