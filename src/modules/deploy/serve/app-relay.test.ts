import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRequest, type DeployFixture, deployFixture } from '../../../../test/support/deploy-fixture.ts';
import { until } from '../../../../test/support/until.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { parseHostPort } from '../../../platform/net/host-port.ts';
import { findEnvironmentByName } from '../environment-store.ts';
import { deployRef } from '../releases/deploy-ref.ts';
import { RELAY_HEADER, relayCredential } from './relay-credential.ts';
import { DeployRuntime } from './runtime.ts';

/**
 * Orchard on several machines: the process that runs an app (here the fixture's, with an app
 * relay) and a server replica that does not (`supervise: false`), sharing one database. The
 * replica reaches the app only through the relay the lease names.
 */
let f: DeployFixture;
let server: DeployRuntime;
let front: Server;
let frontPort: number;
let relay: string;
const frontHost = () => `staging--${f.slug}.localhost:${frontPort}`;

/** A request straight to the relay (as anything on the cluster network could send one). */
function relayRequest(headers: Record<string, string>, path = '/') {
  const { host, port } = parseHostPort(relay);
  return new Promise<{ status: number; body: string; type: string }>((resolve, reject) => {
    const req = request({ host, port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const leaseRelay = async () => {
  const { rows } = await f.t.res.db.query<{ relay: string | null }>(
    'SELECT p.relay FROM app_processes p JOIN environments e ON e.id = p.environment_id WHERE e.project_id = $1',
    [f.project.id],
  );
  return rows[0]?.relay ?? null;
};

beforeAll(async () => {
  f = await deployFixture({ 'deploy.relay.listen': '127.0.0.1:0' });
  // The supervising process opens its relay before it takes any lease.
  await f.t.res.deploy.start({ sweepMs: 60_000 });
  await f.push('v1');
  await deployRef(
    f.t.res.deploy.deps,
    { actor: SYSTEM_ACTOR },
    { slug: f.slug, env: 'staging', ref: 'main' },
  );
  relay = (await leaseRelay())!;
  // A server replica elsewhere: no relay of its own, runs no app, proxies by the database.
  const { logger, db, clock, vault } = f.t.res;
  const config = { ...f.t.config, deploy: { ...f.t.config.deploy, relay: {} } };
  server = new DeployRuntime({ config, logger, db, clock, vault, supervise: false });
  front = createServer((req, res) => {
    if (!server.hostRouter(req, res)) res.writeHead(404).end('not an app');
  });
  server.attachServer(front);
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  frontPort = (front.address() as { port: number }).port;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (front) await new Promise((r) => front.close(r));
  await f?.close();
});

describe('app relay', () => {
  it('is named by the lease of the process running the app', () => {
    expect(relay).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(relay).not.toBe(`127.0.0.1:${f.port}`);
  });

  it('carries a server replica’s requests to the app, with the first proxy’s forwarding headers and without its credential', async () => {
    const info = await appRequest(frontPort, frontHost(), '/info');
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ version: 'v1', forwardedHost: frontHost() });
    const headers = JSON.parse((await appRequest(frontPort, frontHost(), '/headers')).body);
    expect(headers[RELAY_HEADER]).toBeUndefined();
    expect(headers['x-forwarded-port']).toBe(String(frontPort));
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    // A visitor cannot smuggle a relay credential through to the app either.
    const smuggled = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: frontPort,
          path: '/headers',
          headers: { host: frontHost(), [RELAY_HEADER]: 'forged' },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c));
          res.on('end', () => resolve(body));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(smuggled)[RELAY_HEADER]).toBeUndefined();
    // The relay's proxy says why it answered itself, and the replica passes that on; an app's own
    // answer cannot claim to be the proxy's.
    const broke = await appRequest(frontPort, frontHost(), '/hangup');
    expect(broke.status).toBe(502);
    expect(broke.headers['x-orchard-proxy-error']).toBe('no answer from the app (ECONNRESET, sent twice)');
    const spoofed = await appRequest(frontPort, frontHost(), '/spoof-proxy-error');
    expect(spoofed.status).toBe(503);
    expect(spoofed.headers['x-orchard-proxy-error']).toBeUndefined();
  });

  it('tunnels websockets through the relay', async () => {
    const socket = connect(frontPort, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => {
      received += c;
      if (received.includes('\r\n\r\n') && !received.includes('ping')) socket.write('ping');
    });
    socket.write(
      `GET /socket HTTP/1.1\r\nhost: ${frontHost()}\r\nconnection: Upgrade\r\nupgrade: echo\r\n\r\n`,
    );
    try {
      await until(async () => received.endsWith('ping'), 5_000, 'the echo through the relay');
    } finally {
      socket.destroy();
    }
    expect(received).toMatch(/^HTTP\/1.1 101 Switching Protocols\r\n[\s\S]*x-version: v1\r\n\r\nping$/);
  });

  it('answers only Orchard: no credential, a forged one or another installation’s is a 403, and it never reaches the app', async () => {
    const host = `staging--${f.slug}.localhost`;
    const bare = await relayRequest({ host });
    expect(bare.status).toBe(403);
    expect(bare.type).toBe('application/problem+json');
    expect(JSON.parse(bare.body).detail).toMatch(/answers only Orchard's own proxy/);
    expect((await relayRequest({ host, [RELAY_HEADER]: 'forged' })).status).toBe(403);
    const other = relayCredential({
      configured: true,
      current: () => ({ id: 'x', key: Buffer.alloc(32, 7), source: 'given' }),
      find: () => undefined,
      all: () => [],
    });
    expect((await relayRequest({ host, [RELAY_HEADER]: other.value() })).status).toBe(403);
    // Websockets too.
    const socket = connect(parseHostPort(relay).port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (answer += c));
    socket.write(`GET /socket HTTP/1.1\r\nhost: ${host}\r\nconnection: Upgrade\r\nupgrade: echo\r\n\r\n`);
    await until(async () => answer.includes('\r\n\r\n'), 5_000, 'the relay to refuse the upgrade');
    socket.destroy();
    expect(answer).toMatch(/^HTTP\/1.1 403 Forbidden/);

    const own = relayCredential(f.t.res.vault.ring).value();
    expect((await relayRequest({ host, [RELAY_HEADER]: own })).body).toBe('hello from v1');
    // Only the apps this process runs: any other label is unknown here.
    const unknown = await relayRequest({ host: `staging--elsewhere.localhost`, [RELAY_HEADER]: own });
    expect(unknown.status).toBe(404);
  });

  it('follows the lease: a relay that does not answer is a 502 at the replica, not a silent fallback to its own loopback', async () => {
    const env = (await findEnvironmentByName(f.t.res.db, f.project.id, 'staging'))!;
    await f.t.res.db.query(`UPDATE app_processes SET relay = '127.0.0.1:1' WHERE environment_id = $1`, [
      env.id,
    ]);
    try {
      // The replica trusts a database answer for a second; wait for it to read the new one.
      const down = await until(
        async () => {
          const a = await appRequest(frontPort, frontHost(), '/');
          return a.status === 502 ? a : undefined;
        },
        5_000,
        'the replica to follow the lease',
      );
      expect(down.body).toMatch(/ECONNREFUSED/);
    } finally {
      await f.t.res.db.query('UPDATE app_processes SET relay = $2 WHERE environment_id = $1', [
        env.id,
        relay,
      ]);
    }
    const back = await until(
      async () => {
        const a = await appRequest(frontPort, frontHost(), '/');
        return a.status === 200 ? a : undefined;
      },
      5_000,
      'the replica to reach the app again',
    );
    expect(back.body).toBe('hello from v1');
  });

  it('never sends a label whose lease lapsed to the replica’s own loopback: the port it had may be anything’s now', async () => {
    // A replica whose clock is an hour ahead sees every lease expired (as after its process died).
    const { logger, db, vault } = f.t.res;
    const config = { ...f.t.config, deploy: { ...f.t.config.deploy, relay: {} } };
    const later = { now: () => new Date(Date.now() + 3_600_000) };
    const replica = new DeployRuntime({ config, logger, db, clock: later, vault, supervise: false });
    const server = createServer((req, res) => {
      if (!replica.hostRouter(req, res)) res.writeHead(404).end('not an app');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const answer = await appRequest(port, `staging--${f.slug}.localhost:${port}`, '/');
      expect(answer.status).toBe(502);
      expect(answer.body).toContain('waiting for a process to run it');
    } finally {
      await replica.stop();
      await new Promise((r) => server.close(r));
    }
  });
});
