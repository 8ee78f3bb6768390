import { connect } from 'node:net';
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
