import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRequest, type DeployFixture, deployFixture } from '../../../../test/support/deploy-fixture.ts';
import { until } from '../../../../test/support/until.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { findEnvironmentByName } from '../environment-store.ts';
import { deployPreview } from '../previews/deploy-preview.ts';
import { deployRef } from '../releases/deploy-ref.ts';
import { DeployRuntime } from './runtime.ts';

/**
 * Idle apps sleep: with no request for their kind's idle time (1.5 s for staging here) the process
 * stops and the environment says `sleeping`; the next request — through this process's proxy, after
 * a restart of Orchard, or through a server replica that runs no apps — starts it again and is
 * answered by it. A kind with idle time 0 (production by default; previews here) never sleeps.
 */
const IDLE_MS = 1_500;
let f: DeployFixture;
const ctx = { actor: SYSTEM_ACTOR };
const host = (port = f.port) => `staging--${f.slug}.localhost:${port}`;
const deploy = (env: string) => deployRef(f.t.res.deploy.deps, ctx, { slug: f.slug, env, ref: 'main' });
const env = async (name = 'staging') => (await findEnvironmentByName(f.t.res.db, f.project.id, name))!;
const logOf = (envId: string) =>
  f.t.res.deploy.supervisor
    .logOf(envId)!
    .tail(200)
    .map((l) => l.text);
const asleep = (name = 'staging') =>
  until(
    async () => {
      const row = await env(name);
      return row.status === 'sleeping' ? row : undefined;
    },
    IDLE_MS + 15_000,
    `${name} to fall asleep`,
  );

/** An HTTP front for another DeployRuntime on the same database (a restarted Orchard, a replica). */
async function front(runtime: DeployRuntime): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (!runtime.hostRouter(req, res)) res.writeHead(404).end('not an app');
  });
  runtime.attachServer(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

beforeAll(async () => {
  f = await deployFixture({
    'deploy.sleepAfterIdleMs': { preview: 0, staging: IDLE_MS, production: 0 },
  });
  // NOTIFY reaches it: a replica's request for a sleeping app is started here.
  await f.t.res.deploy.start({ bus: f.t.res.bus, sweepMs: 60_000 });
  await f.push('v1');
  await deploy('staging');
}, 60_000);
afterAll(async () => f?.close());

describe('idle apps sleep', () => {
  it('stops an app after its idle time and starts it again for the next request, which it answers', async () => {
    expect((await appRequest(f.port, host(), '/')).body).toBe('hello from v1');
    const awake = await env();
    const slept = await asleep();
    expect(slept).toMatchObject({ port: null, current_release_id: awake.current_release_id });
    await expect(appRequest(awake.port!, 'localhost', '/')).rejects.toThrow();
    expect(logOf(slept.id).some((l) => l.startsWith('☾ No request for 2 s: the app sleeps'))).toBe(true);

    // Several requests at once while it sleeps: one start, every request answered by the app.
    const answers = await Promise.all(Array.from({ length: 5 }, () => appRequest(f.port, host(), '/info')));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => JSON.parse(a.body).port)).size).toBe(1);
    const woken = await env();
    expect(woken).toMatchObject({ status: 'running', current_release_id: awake.current_release_id });
    expect(woken.port).not.toBeNull();
    // Counted from its last sleep: on a slow machine the app may already have slept and woken once
    // before the first request above, which is not what this checks.
    const sinceSleep = logOf(woken.id).slice(
      logOf(woken.id).findLastIndex((l) => l.startsWith('☾ No request for')),
    );
    expect(sinceSleep.filter((l) => l.startsWith('☀ A request arrived while the app slept'))).toHaveLength(1);
  });

  it('deploys to a sleeping environment: the new release runs at once', async () => {
    await asleep();
    await f.push('v2');
    const { environment } = await deploy('staging');
    expect(environment.status).toBe('running');
    expect((await appRequest(f.port, host(), '/')).body).toBe('hello from v2');
  });

  it('says what to do when a release cannot start because the database server has no free connection', async () => {
    await f.push('full', {
      appYml: 'start: sh full.sh\nhealthPath: /health\n',
      extra: {
        'full.sh':
          "echo 'FATAL:  remaining connection slots are reserved for non-replication superuser connections' >&2\nexit 1\n",
      },
    });
    const error = (await deploy('staging').catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain('remaining connection slots are reserved');
    expect(error.message).toMatch(
      /no free connection .* Idle apps free theirs when they sleep \(deploy\.sleepAfterIdleMs\)/,
    );
  });

  it('keeps running an environment whose kind has no idle time (previews here, production by default)', async () => {
    const sha = await f.push('p1', { branch: 'keep-awake' });
    await deployPreview(f.t.res.deploy.deps, ctx, { slug: f.slug, branch: 'keep-awake', sha });
    // Staging, asked after the preview started, sleeps after IDLE_MS; the preview still runs then.
    await appRequest(f.port, host(), '/');
    await asleep();
    expect(await env('preview/keep-awake')).toMatchObject({ status: 'running' });
  });

  it('wakes through a server replica that runs no apps: NOTIFY to the supervising process', async () => {
    await asleep();
    const { config, logger, db, clock, vault } = f.t.res;
    const replica = new DeployRuntime({ config, logger, db, clock, vault, supervise: false });
    const web = await front(replica);
    try {
      const answer = await appRequest(web.port, host(web.port), '/');
      expect(answer).toMatchObject({ status: 200, body: 'hello from v2' });
      // The supervising process started it (the replica runs nothing).
      expect(f.t.res.deploy.supervisor.route(`staging--${f.slug}`)?.kind).toBe('up');
    } finally {
      await replica.stop();
      await web.close();
    }
  });

  it('stays asleep across a restart of Orchard, and the first request afterwards starts it', async () => {
    const slept = await asleep();
    await f.t.res.deploy.stop();
    // Stopping Orchard does not turn a sleeping app into a stopped one.
    expect((await env()).status).toBe('sleeping');
    const { config, logger, db, clock, vault } = f.t.res;
    const again = new DeployRuntime({ config, logger, db, clock, vault });
    const web = await front(again);
    try {
      await again.start();
      await again.sweep();
      // A reconciler pass leaves it asleep: nothing asked for it yet.
      expect(await env()).toMatchObject({ status: 'sleeping', port: null });
      const answer = await appRequest(web.port, host(web.port), '/');
      expect(answer).toMatchObject({ status: 200, body: 'hello from v2' });
      expect(await env()).toMatchObject({ status: 'running', current_release_id: slept.current_release_id });
    } finally {
      await again.stop();
      await web.close();
    }
  });
});
