import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  appRequest,
  appSend,
  type DeployFixture,
  deployFixture,
} from '../../../../test/support/deploy-fixture.ts';
import { until } from '../../../../test/support/until.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { deployRef } from '../releases/deploy-ref.ts';

/**
 * A swap stops the previous process once its requests are done, or at the drain timeout. A request
 * without a body that the stopped process never answered is sent again to the new one, so a page
 * load caught by a redeploy (a browser fetching the page's stylesheet just then) still succeeds;
 * a request with a body is not replayed.
 */
let f: DeployFixture;
const ctx = { actor: SYSTEM_ACTOR };
const host = () => `staging--${f.slug}.localhost:${f.port}`;

beforeAll(async () => {
  f = await deployFixture({ 'deploy.drainTimeoutMs': 100 });
});
afterAll(async () => f?.close());

it('sends a bodiless request the drained-out process never answered to the new one; a POST gets a 502', async () => {
  await f.push('v1');
  await deployRef(f.t.res.deploy.deps, ctx, { slug: f.slug, env: 'staging', ref: 'main' });
  // v1 would answer them only after the swap has stopped it; v2 answers at once.
  const get = appRequest(f.port, host(), '/slow?ms=60000');
  const posted = appSend(f.port, host(), 'POST', '/slow?ms=60000', 'a body');
  await until(
    async () => (await appRequest(f.port, host(), '/busy')).body === '2',
    10_000,
    'both requests at v1',
  );

  await f.push('v2', { extra: { FAST: 'yes\n' } });
  const { environment } = await deployRef(f.t.res.deploy.deps, ctx, {
    slug: f.slug,
    env: 'staging',
    ref: 'main',
  });

  expect(await get).toMatchObject({ status: 200, body: 'slow v2' });
  const answer = await posted;
  expect(answer.status).toBe(502);
  expect(answer.body).toContain('The app did not answer');
  const log = f.t.res.deploy.supervisor.logOf(environment.id)!;
  await until(
    () =>
      log
        .tail(50)
        .some((l) => /Previous process \(port \d+\) stopped after the 100 ms drain timeout/.test(l.text)),
    10_000,
    'the log to say the drain timed out',
  );
});

it('resends a bodiless request whose connection broke once, over a fresh one; says why when it broke twice', async () => {
  await f.push('v3', { extra: { FAST: '' } }); // /slow is slow again
  await deployRef(f.t.res.deploy.deps, ctx, { slug: f.slug, env: 'staging', ref: 'main' });

  expect(await appRequest(f.port, host(), '/hangup-once')).toMatchObject({ status: 200 });
  expect((await appRequest(f.port, host(), '/hangups')).body).toBe('1');

  const twice = await appRequest(f.port, host(), '/hangup');
  expect(twice.status).toBe(502);
  expect(twice.headers['x-orchard-proxy-error']).toBe('no answer from the app (ECONNRESET, sent twice)');
  expect((await appRequest(f.port, host(), '/hangups')).body).toBe('3');

  // A request with a body is sent once: the app may have acted on it.
  const posted = await appSend(f.port, host(), 'POST', '/hangup', 'a body');
  expect(posted.status).toBe(502);
  expect((await appRequest(f.port, host(), '/hangups')).body).toBe('4');

  // A client that gave up is not answered, nor is its request sent again.
  const before = Number((await appRequest(f.port, host(), '/slows')).body);
  await new Promise<void>((resolve) => {
    const req = request({
      host: '127.0.0.1',
      port: f.port,
      path: '/slow?ms=60000',
      headers: { host: host() },
    });
    req.on('error', () => resolve());
    req.end();
    void until(
      async () => (await appRequest(f.port, host(), '/busy')).body === '1',
      10_000,
      'the slow request at the app',
    ).then(() => req.destroy());
  });
  await until(
    async () => (await appRequest(f.port, host(), '/busy')).body === '0',
    10_000,
    'the app to see the request go',
  );
  expect(Number((await appRequest(f.port, host(), '/slows')).body)).toBe(before + 1);

  // An app cannot pass its own answer off as the proxy's.
  const spoofed = await appRequest(f.port, host(), '/spoof-proxy-error');
  expect(spoofed.status).toBe(503);
  expect(spoofed.headers['x-orchard-proxy-error']).toBeUndefined();
});
