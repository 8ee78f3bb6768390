/**
 * The egress proxy over its real Unix socket. Loopback is the only place a test server can live and
 * the proxy refuses it, so the tests that need a reachable host name a fake one and let its
 * loopback address through (`refuseAddress`); every refusal test runs the real policy, and one
 * test reaches the npm registry for real when this machine can.
 */
import { lookup } from 'node:dns/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../../test/support/until.ts';
import { registryReachable } from '../cli/cli-test-kit.test-support.ts';
import {
  describeAttempt,
  type EgressAttempt,
  type EgressProxyOptions,
  openEgressProxy,
} from './egress-proxy.ts';

let dir: string;
let echo: net.Server;
let echoPort: number;
let web: http.Server;
let webPort: number;
/** What the web server was sent: path and headers of each request. */
const received: { url: string; headers: http.IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-egress-'));
  echo = net.createServer((socket) => socket.pipe(socket));
  web = http.createServer((req, res) => {
    received.push({ url: req.url ?? '', headers: req.headers });
    res.end(`hello from ${req.url}`);
  });
  echoPort = await listen(echo);
  webPort = await listen(web);
});

afterAll(async () => {
  echo?.close();
  web?.close();
  await rm(dir, { recursive: true, force: true });
});

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

let proxies = 0;
/** A proxy on its own socket; its attempts are collected. */
async function proxy(options: Omit<EgressProxyOptions, 'socketPath' | 'onAttempt'>) {
  const attempts: EgressAttempt[] = [];
  const opened = await openEgressProxy({
    ...options,
    socketPath: path.join(dir, `p${++proxies}.sock`),
    onAttempt: (a) => attempts.push(a),
  });
  return { ...opened, attempts };
}

/** A name that resolves to this machine's loopback, which these proxies are told to let through. */
const SERVICE = 'service.test';
const throughLoopback = {
  resolve: async (host: string) => (host === SERVICE ? ['127.0.0.1'] : []),
  refuseAddress: () => undefined,
};

/** Sends `CONNECT target` and reads the answer's head; the socket stays open for a tunnel. */
function connect(
  socketPath: string,
  target: string,
): Promise<{ head: string; socket: net.Socket; rest: () => Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let text = '';
    socket.on('error', reject);
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      let rest = text.slice(end + 4);
      const done = new Promise<string>((settle) => {
        socket.on('data', (c: Buffer) => {
          rest += c.toString('utf8');
        });
        socket.on('close', () => settle(rest));
      });
      resolve({ head: text.slice(0, end), socket, rest: () => done });
    };
    socket.on('data', onData);
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
  });
}

/** A plain-HTTP request through the proxy (absolute URI), as curl sends it with http_proxy. */
function get(
  socketPath: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; phrase: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path: url, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, phrase: res.statusMessage ?? '', text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the egress proxy', () => {
  it('tunnels CONNECT to an allowed host at the address it resolved, records it, and ends tunnels when it closes', async () => {
    const p = await proxy({ allow: [`${SERVICE}:${echoPort}`], ...throughLoopback });
    try {
      const tunnel = await connect(p.socketPath, `${SERVICE}:${echoPort}`);
      expect(tunnel.head).toMatch(/^HTTP\/1\.1 200 /);
      const echoed = new Promise<string>((resolve) =>
        tunnel.socket.once('data', (d) => resolve(d.toString())),
      );
      tunnel.socket.write('ping through the tunnel');
      expect(await echoed).toBe('ping through the tunnel');
      expect(p.attempts).toEqual([{ method: 'CONNECT', host: SERVICE, port: echoPort, outcome: 'allowed' }]);
      expect(describeAttempt(p.attempts[0]!)).toBe(`network: CONNECT ${SERVICE}:${echoPort} allowed`);
      const closed = tunnel.rest();
      await p.close();
      await closed;
      expect(tunnel.socket.destroyed).toBe(true);
    } finally {
      await p.close();
    }
  });

  it("forwards plain HTTP with the URL's own Host and without the proxy's headers, recording no path or header", async () => {
    const p = await proxy({ allow: [`${SERVICE}:${webPort}`], ...throughLoopback });
    try {
      const answer = await get(p.socketPath, `http://${SERVICE}:${webPort}/p?token=s3cret`, {
        host: 'other.test',
        authorization: 'Bearer s3cret',
        'proxy-authorization': 'Basic s3cret',
      });
      expect(answer).toMatchObject({ status: 200, text: 'hello from /p?token=s3cret' });
      const seen = received.at(-1)!;
      expect(seen.url).toBe('/p?token=s3cret');
      expect(seen.headers.host).toBe(`${SERVICE}:${webPort}`);
      expect(seen.headers.authorization).toBe('Bearer s3cret');
      expect(seen.headers['proxy-authorization']).toBeUndefined();
      expect(p.attempts).toEqual([{ method: 'GET', host: SERVICE, port: webPort, outcome: 'allowed' }]);
      expect(JSON.stringify(p.attempts)).not.toMatch(/s3cret|\/p/);
    } finally {
      await p.close();
    }
  });

  it('checks every request of a kept-alive connection on its own', async () => {
    const p = await proxy({ allow: [`${SERVICE}:${webPort}`], ...throughLoopback });
    try {
      const socket = net.connect(p.socketPath);
      let text = '';
      socket.on('data', (d) => (text += d));
      socket.write(
        `GET http://${SERVICE}:${webPort}/first HTTP/1.1\r\nHost: ${SERVICE}\r\n\r\nGET http://example.com/second HTTP/1.1\r\nHost: ${SERVICE}\r\n\r\n`,
      );
      await until(() => text.includes('not in network.allow'), 5_000, 'the second answer');
      socket.destroy();
      expect(text).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*hello from \/first[\s\S]*HTTP\/1\.1 403 /);
      // Answered in order; the refusal, needing no lookup, may be decided first.
      expect(p.attempts.map((a) => `${a.host} ${a.outcome}`).sort()).toEqual([
        'example.com refused',
        `${SERVICE} allowed`,
      ]);
    } finally {
      await p.close();
    }
  });

  it('refuses a host (or port) not in network.allow with 403, naming it and the fix, without looking it up', async () => {
    const looked: string[] = [];
    const p = await proxy({
      allow: ['registry.npmjs.org'],
      resolve: async (host) => {
        looked.push(host);
        return ['198.51.100.7'];
      },
    });
    try {
      const tunnel = await connect(p.socketPath, 'example.com:443');
      expect(tunnel.head).toMatch(
        /^HTTP\/1\.1 403 Forbidden by Orchard: example.com not in network.allow\r\n/,
      );
      expect(await tunnel.rest()).toBe(
        'Orchard refused the connection to example.com:443: it is not in network.allow. To let the agent reach it, add it to network.allow in .orchard/agent.yml on the default branch (a host name, *.domain for its subdomains, :port for a port other than 443 and 80).\n',
      );
      const plain = await get(p.socketPath, 'http://example.com/');
      expect(plain.status).toBe(403);
      expect(plain.text).toContain('add it to network.allow in .orchard/agent.yml');
      const port = await connect(p.socketPath, 'registry.npmjs.org:22');
      expect(port.head).toMatch(/^HTTP\/1\.1 403 /);
      expect(looked).toEqual([]);
      expect(p.attempts.map(describeAttempt)).toEqual([
        'network: CONNECT example.com:443 refused: not in network.allow',
        'network: GET example.com:80 refused: not in network.allow',
        'network: CONNECT registry.npmjs.org:22 refused: not in network.allow',
      ]);
    } finally {
      await p.close();
    }
  });

  it('refuses listed hosts that are, or resolve to, this machine, a private network or cloud metadata', async () => {
    // The real policy; fake names stand for DNS answers an attacker controls.
    const answers: Record<string, string[]> = {
      'inside.test': ['10.0.0.5'],
      'rebind.test': ['198.51.100.7', '127.0.0.1'],
    };
    const p = await proxy({
      allow: ['127.0.0.1', 'localhost', '169.254.169.254', 'inside.test', 'rebind.test'],
      resolve: async (host) => answers[host] ?? (await lookup(host, { all: true })).map((r) => r.address),
    });
    try {
      for (const target of ['127.0.0.1:443', 'localhost:443', 'inside.test:443', 'rebind.test:443']) {
        const answer = await connect(p.socketPath, target);
        expect(answer.head, target).toMatch(/^HTTP\/1\.1 403 /);
        expect(await answer.rest()).toContain('Agents never reach this machine or private networks');
      }
      const metadata = await get(p.socketPath, 'http://169.254.169.254/latest/meta-data/');
      expect(metadata.status).toBe(403);
      expect(p.attempts.map(describeAttempt)).toEqual([
        'network: CONNECT 127.0.0.1:443 refused: is 127.0.0.1, a loopback address',
        expect.stringMatching(
          /^network: CONNECT localhost:443 refused: resolves to (127\.0\.0\.1|::1), a loopback address$/,
        ),
        'network: CONNECT inside.test:443 refused: resolves to 10.0.0.5, a private address',
        'network: CONNECT rebind.test:443 refused: resolves to 127.0.0.1, a loopback address',
        'network: GET 169.254.169.254:80 refused: is 169.254.169.254, a cloud metadata address',
      ]);
    } finally {
      await p.close();
    }
  });

  it('answers 502 when a listed host does not resolve, and 400 to a request that is not for a proxy', async () => {
    const p = await proxy({
      allow: ['nowhere.test'],
      resolve: async () => Promise.reject(new Error('ENOTFOUND')),
    });
    try {
      const answer = await connect(p.socketPath, 'nowhere.test:443');
      expect(answer.head).toMatch(/^HTTP\/1\.1 502 /);
      expect(await answer.rest()).toBe('Orchard could not resolve nowhere.test.\n');
      expect(p.attempts).toEqual([
        {
          method: 'CONNECT',
          host: 'nowhere.test',
          port: 443,
          outcome: 'failed',
          reason: 'cannot be resolved',
        },
      ]);
      expect((await get(p.socketPath, '/not-absolute')).status).toBe(400);
    } finally {
      await p.close();
    }
  });

  it('reaches registry.npmjs.org over HTTPS through a tunnel (when this machine can reach it)', async (context) => {
    if (!(await registryReachable()))
      return context.skip('registry.npmjs.org is not reachable from this machine (npm ping failed)');
    const p = await proxy({ allow: ['registry.npmjs.org'] });
    try {
      const tunnel = await connect(p.socketPath, 'registry.npmjs.org:443');
      expect(tunnel.head).toMatch(/^HTTP\/1\.1 200 /);
      const secure = tls.connect({ socket: tunnel.socket, servername: 'registry.npmjs.org' });
      const text = await new Promise<string>((resolve, reject) => {
        let body = '';
        secure.on('data', (d) => (body += d));
        secure.on('end', () => resolve(body));
        secure.on('error', reject);
        secure.write(
          'GET /is-number HTTP/1.1\r\nHost: registry.npmjs.org\r\nAccept: application/json\r\nConnection: close\r\n\r\n',
        );
      });
      expect(text).toMatch(/^HTTP\/1\.1 200 /);
      expect(text).toMatch(/"name": ?"is-number"/);
      expect(p.attempts).toEqual([
        { method: 'CONNECT', host: 'registry.npmjs.org', port: 443, outcome: 'allowed' },
      ]);
    } finally {
      await p.close();
    }
  }, 60_000);
});
