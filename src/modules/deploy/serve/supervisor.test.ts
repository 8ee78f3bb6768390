import { mkdir, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRequest, type DeployFixture, deployFixture } from '../../../../test/support/deploy-fixture.ts';
import { until } from '../../../../test/support/until.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { detectIsolation, handOverToSandbox } from '../../../platform/sandbox/index.ts';
import { findEnvironmentByName } from '../environment-store.ts';
import { deployRef } from '../releases/deploy-ref.ts';
import { DeployRuntime } from './runtime.ts';

let f: DeployFixture;
const ctx = { actor: SYSTEM_ACTOR };
const host = () => `staging--${f.slug}.localhost:${f.port}`;
const deploy = (ref: string) => deployRef(f.t.res.deploy.deps, ctx, { slug: f.slug, env: 'staging', ref });
const staging = async () => (await findEnvironmentByName(f.t.res.db, f.project.id, 'staging'))!;

beforeAll(async () => {
  // A short health budget keeps the failing-release case quick.
  f = await deployFixture({ 'deploy.healthTimeoutMs': 6_000 });
});
afterAll(async () => f?.close());

describe('local supervisor', () => {
  it('runs a release behind the proxy with PORT and DATA_DIR', async () => {
    const sha = await f.push('v1');
    const { environment, release } = await deploy('main');
    expect(release.sha).toBe(sha);
    expect(environment).toMatchObject({ status: 'running', current_release_id: release.id });
    const answer = await appRequest(f.port, host(), '/info');
    expect(answer.status).toBe(200);
    const info = JSON.parse(answer.body);
    expect(info).toMatchObject({
      version: 'v1',
      port: String(environment.port),
      forwardedHost: host(),
      builds: 1,
    });
    expect(info.dataDir).toBe(`${f.t.config.home}/data/${f.slug}/staging`);
    // The direct port is the app's own.
    expect((await appRequest(environment.port!, 'localhost', '/')).body).toBe('hello from v1');
  });

  it.runIf(detectIsolation().bubblewrap)(
    'runs an app as its project’s own user: no escape, no other project’s data, no way to Orchard or its database',
    async () => {
      // Another project's data beside this one's, as its own user holds it.
      const other = path.join(f.t.config.home, 'data', 'other', 'staging');
      await mkdir(other, { recursive: true });
      await writeFile(path.join(other, 'private.txt'), 'not yours');
      const otherId = f.t.config.sandbox.uidBase + f.project.sandbox_uid + 1000;
      await handOverToSandbox({ uid: otherId, gid: otherId }, { own: [other], root: f.t.config.home });
      const reach = (label: string, target: string) =>
        `node -e "const s=require('net').connect(${target});s.on('connect',()=>{console.log('ESCAPE-${label}');process.exit()});s.on('error',()=>console.log('${label} blocked'))"`;
      const script = [
        'echo "uid=$(id -u)"',
        'umount -l /tmp 2>&1 && echo ESCAPE-umount',
        'mount -o remount,rw,bind / 2>&1 && echo ESCAPE-remount',
        'cat /etc/shadow >/dev/null 2>&1 && echo ESCAPE-shadow',
        `cat ${path.join(other, 'private.txt')} 2>&1 && echo ESCAPE-other-project`,
        `cat ${path.join(f.t.config.home, 'master.key')} 2>&1 && echo ESCAPE-master-key`,
        'echo x >> server.js 2>/dev/null && echo ESCAPE-release-writable',
        'echo kept > "$DATA_DIR/kept.txt" && echo data-writable',
        reach('orchard', `${f.port},'127.0.0.1'`),
        reach('postgres', `5432,'127.0.0.1'`),
        'echo done',
      ].join('; ');
      const answer = await appRequest(f.port, host(), `/sh?c=${encodeURIComponent(script)}`);
      expect(answer.body).toContain('done');
      expect(answer.body).not.toContain('ESCAPE-');
      expect(answer.body).toContain('data-writable');
      expect(answer.body).toContain('orchard blocked');
      expect(answer.body).toContain('postgres blocked');
      if (process.getuid?.() === 0)
        expect(answer.body).toContain(`uid=${f.t.config.sandbox.uidBase + f.project.sandbox_uid}`);
      expect(answer.body).not.toMatch(/^uid=0$/m);
      const dataDir = path.join(f.t.config.home, 'data', f.slug, 'staging');
      if (process.getuid?.() === 0) expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    },
  );

  it('tunnels Upgrade (websocket) connections to the app', async () => {
    const socket = connect(f.port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => {
      received += c;
      if (received.includes('\r\n\r\n') && !received.includes('ping')) socket.write('ping');
    });
    socket.write(`GET /socket HTTP/1.1\r\nhost: ${host()}\r\nconnection: Upgrade\r\nupgrade: echo\r\n\r\n`);
    try {
      await until(async () => received.endsWith('ping'), 5_000, 'the echo');
    } finally {
      socket.destroy();
    }
    expect(received).toMatch(/^HTTP\/1.1 101 Switching Protocols\r\n[\s\S]*x-version: v1\r\n\r\nping$/);
  });

  it('never swaps in an app failing its health check: the old release keeps serving', async () => {
    await f.push('v2-broken', { unhealthy: true });
    const before = await staging();
    const error = await deploy('main').catch((e: Error & { status?: number }) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as { status?: number }).status).toBe(422);
    // The message names the health check's answer and the app's last log lines.
    expect((error as Error).message).toMatch(
      /GET \/health did not answer 2xx within 6 s; last answer: HTTP 503 "database unreachable"/,
    );
    expect((error as Error).message).toMatch(
      /Last log lines:\n {2}cannot reach the database at db:5432\n {2}listening on \d+ \(v2-broken\)$/,
    );
    expect((await appRequest(f.port, host(), '/')).body).toBe('hello from v1');
    const after = await staging();
    expect(after).toMatchObject({
      status: 'running',
      current_release_id: before.current_release_id,
      port: before.port,
    });
    expect(after.desired_release_id).toBe(before.current_release_id);
    expect(after.last_error).toMatch(/failed to start/);
  });

  it('restarts a crashed app (with backoff) and routes to it again', async () => {
    const before = await staging();
    expect((await appRequest(f.port, host(), '/crash')).body).toBe('bye');
    const after = await until(
      async () => {
        const env = await staging();
        return env.status === 'running' && env.port !== before.port ? env : undefined;
      },
      20_000,
      'the app to be restarted',
    );
    expect(after.current_release_id).toBe(before.current_release_id);
    expect((await appRequest(f.port, host(), '/')).body).toBe('hello from v1');
    const log = f.t.res.deploy.supervisor
      .logOf(after.id)!
      .tail(50)
      .map((l) => l.text);
    expect(log.some((l) => /The app exited \(code 7\); restarting in/.test(l))).toBe(true);
  });

  it('loses no request while a redeploy swaps processes under steady load (~20 req/s)', async () => {
    await f.push('v3');
    const results: Array<{ ok: boolean; body: string }> = [];
    let loading = true;
    const load = (async () => {
      while (loading) {
        const tick = Date.now();
        void appRequest(f.port, host(), '/slow').then(
          (a) =>
            results.push({ ok: a.status === 200, body: a.status === 200 ? a.body : `${a.status} ${a.body}` }),
          (e: Error) => results.push({ ok: false, body: e.message }),
        );
        await new Promise((r) => setTimeout(r, Math.max(0, 50 - (Date.now() - tick))));
      }
    })();
    await until(async () => results.length >= 5, 10_000, 'load to start');
    await deploy('main');
    const swappedAt = results.length;
    await until(async () => results.length >= swappedAt + 10, 10_000, 'load after the swap');
    loading = false;
    await load;
    await until(async () => results.length >= swappedAt + 10, 5_000);
    const failures = results.filter((r) => !r.ok);
    expect(failures).toEqual([]);
    expect(results.some((r) => r.body === 'slow v1')).toBe(true);
    expect(results.at(-1)?.body).toBe('slow v3');
  });

  it('brings environments back when a new supervisor starts on the same database and home', async () => {
    const env = await staging();
    await f.t.res.deploy.stop();
    await until(async () => (await staging()).status === 'stopped', 5_000, 'the old supervisor to stop');
    const oldPort = env.port!;
    await expect(appRequest(oldPort, 'localhost', '/')).rejects.toThrow();

    const { config, logger, db, clock, vault } = f.t.res;
    const again = new DeployRuntime({ config, logger, db, clock, vault });
    const proxy: Server = createServer((req, res) => {
      if (!again.hostRouter(req, res)) res.writeHead(404).end('not an app');
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as { port: number }).port;
    try {
      again.start();
      const answer = await until(
        async () => {
          const a = await appRequest(port, `staging--${f.slug}.localhost:${port}`, '/');
          return a.status === 200 ? a : undefined;
        },
        20_000,
        'staging to come back',
      );
      expect(answer.body).toBe('hello from v3');
      // The route opens once the health check passes; the row says so right after.
      const back = await until(
        async () => {
          const row = await staging();
          return row.status === 'running' ? row : undefined;
        },
        5_000,
        'staging to be recorded as running',
      );
      expect(back.current_release_id).toBe(env.current_release_id);
    } finally {
      await again.stop();
      await new Promise((r) => proxy.close(r));
    }
  });
});
