import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { listenApp, startWorkers } from '../../../../test/git.ts';
import { type WorkerPool, waitForOperation } from '../../operations/index.ts';

/**
 * Builds wait for their pipelines, deploys and releases parked (no worker slot held), so more
 * builds than slots still finish: three landing prompts at once on a pool of two slots. When a
 * waiting build held its slot, two builds took both and their pipelines never ran.
 */
let t: TestApp;
let workers: WorkerPool;

beforeAll(async () => {
  t = await createTestApp({
    'deploy.healthTimeoutMs': 20_000,
    'deploy.drainTimeoutMs': 1_000,
    'rateLimit.tokenPerMinute': 100_000,
    'rateLimit.ipPerMinute': 100_000,
  });
  await listenApp(t);
  workers = await startWorkers(t, 2);
  t.res.deploy.start({ bus: t.res.bus });
});
afterAll(async () => {
  await workers?.stop();
  await t?.res.deploy.stop();
  await t?.res.browsers.close();
  await t?.close();
});

it('three builds at once on two worker slots all reach a verified staging', {
  timeout: 600_000,
}, async () => {
  const { token } = await t.user('member');
  const prompts = [
    'a landing page for a bakery with a newsletter signup',
    'a landing page for a cycling club',
    'a landing page for a violin teacher',
  ];
  const started = await Promise.all(
    prompts.map(async (prompt) => {
      const res = await t.http.inject({
        method: 'POST',
        url: '/api/prompts',
        headers: bearer(token),
        payload: { prompt },
      });
      expect(res.statusCode, res.body).toBe(202);
      return res.json() as { operationId: string };
    }),
  );
  const ended = await Promise.all(
    started.map((s) => waitForOperation(t.res.db, s.operationId, { timeoutMs: 540_000, bus: t.res.bus })),
  );
  expect(ended.map((op) => [op.status, op.error?.message ?? null])).toEqual(
    prompts.map(() => ['succeeded', null]),
  );
});
