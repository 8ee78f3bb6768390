import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { listenApp } from '../../../../test/git.ts';
import { crashWorkerOn } from '../../../../test/support/operations-engine.ts';
import { until } from '../../../../test/support/until.ts';
import { createWorkerPool, getOperation, type WorkerPool, waitForOperation } from '../../operations/index.ts';

/**
 * A build that ends — failed in any step, out of attempts after worker crashes, cancelled — takes
 * its Blueprint out of `building` in the transaction that ends the operation (no step handler
 * needs to run after the failure), records the outcome on the feature, and a retry of the same
 * operation moves it on again.
 */
let t: TestApp;
let h: { authorization: string };
const pools: WorkerPool[] = [];

beforeAll(async () => {
  t = await createTestApp({
    'deploy.healthTimeoutMs': 20_000,
    'deploy.drainTimeoutMs': 1_000,
    'rateLimit.tokenPerMinute': 100_000,
    'rateLimit.ipPerMinute': 100_000,
  });
  h = bearer((await t.user('member')).token);
});
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.stop();
});
afterAll(async () => {
  await t?.res.deploy.stop();
  await t?.close();
});

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object | object[]) =>
  t.http.inject({ method, url, headers: h, payload });

async function startWorkers(queues: string[]) {
  const pool = createWorkerPool({
    res: t.res,
    registry: t.res.registry,
    queues,
    concurrency: 4,
    pollMs: 200,
  });
  await pool.start();
  pools.push(pool);
  return pool;
}

/** A project with an empty (not ready) Blueprint whose build is started with override, no worker running. */
async function startBuildOfEmptyBlueprint(name: string) {
  const slug = (await api('POST', '/api/projects', { name })).json().slug;
  const bp = (await api('POST', `/api/projects/${slug}/blueprints`, { title: name })).json();
  const build = await api('POST', `/api/blueprints/${bp.id}/build`, { override: true });
  expect(build.statusCode, build.body).toBe(202);
  expect((await api('GET', `/api/blueprints/${bp.id}`)).json().status).toBe('building');
  return { blueprintId: bp.id as string, operationId: build.json().operationId as string };
}

const blueprintStatus = async (id: string) => (await api('GET', `/api/blueprints/${id}`)).json().status;
const latestFeature = async (id: string) =>
  (await api('GET', `/api/blueprints/${id}/features`)).json().items[0];

/** Every step of the operation has ended (none blocked, ready, running or waiting). */
async function unfinishedSteps(operationId: string) {
  const op = await getOperation(t.res.db, operationId);
  return op.steps
    .filter((s) => ['blocked', 'ready', 'running', 'waiting'].includes(s.status))
    .map((s) => s.key);
}

describe('a build that ends without finishing', () => {
  it('cancelled while queued: the Blueprint leaves building at once, editable, with the feature cancelled', async () => {
    const { blueprintId, operationId } = await startBuildOfEmptyBlueprint('Cancelled early');
    const cancel = await api('POST', `/api/operations/${operationId}/cancel`);
    expect(cancel.statusCode, cancel.body).toBe(200);
    // Read straight after the cancel: nothing else has touched the Blueprint.
    expect(await blueprintStatus(blueprintId)).toBe('draft');
    expect(await latestFeature(blueprintId)).toMatchObject({ phase: 'cancelled', operationId });
    expect(await unfinishedSteps(operationId)).toEqual([]);
    // A cancelled feature is final: retrying its operation is refused with what to do instead.
    const retry = await api('POST', `/api/operations/${operationId}/retry`);
    expect(retry.statusCode, retry.body).toBe(409);
    expect(retry.json().detail).toMatch(/cancelled.*start a new build/i);
    expect((await getOperation(t.res.db, operationId)).status).toBe('cancelled');
  });

  it('out of attempts after its worker crashed twice: failed, the Blueprint editable, and a retry builds again', async () => {
    const { blueprintId, operationId } = await startBuildOfEmptyBlueprint('Crashed twice');
    // `render-spec` has two attempts; each is claimed by a worker that dies, then reaped.
    await crashWorkerOn(t.res.db, t.res.registry, ['default']);
    expect(await blueprintStatus(blueprintId)).toBe('building');
    await crashWorkerOn(t.res.db, t.res.registry, ['default']);
    const op = await getOperation(t.res.db, operationId);
    expect(op.status).toBe('failed');
    expect(op.error).toMatchObject({ step: 'render-spec', name: 'LeaseExpired' });
    expect(await unfinishedSteps(operationId)).toEqual([]);
    expect(await blueprintStatus(blueprintId)).toBe('draft');
    const feature = await latestFeature(blueprintId);
    expect(feature).toMatchObject({ phase: 'failed', operationId });
    expect(feature.history.at(-1)).toMatchObject({ from: 'spec', to: 'failed' });
    expect(feature.history.at(-1).reason).toMatch(/render-spec: .*lease expired/);
    // Chat and edits work again.
    const edit = await api('PATCH', `/api/blueprints/${blueprintId}`, [
      { op: 'replace', path: '/summary', value: 'Edited after the failed build' },
    ]);
    expect(edit.statusCode, edit.body).toBe(200);

    // The retry is a build again: the Blueprint is locked and the feature back in its phase.
    const retry = await api('POST', `/api/operations/${operationId}/retry`);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(await blueprintStatus(blueprintId)).toBe('building');
    expect(await latestFeature(blueprintId)).toMatchObject({ phase: 'spec', operationId });
    const refused = await api('PATCH', `/api/blueprints/${blueprintId}`, [
      { op: 'replace', path: '/summary', value: 'Edited during the retry' },
    ]);
    expect(refused.statusCode).toBe(409);
    // …and it settles again when it ends.
    await api('POST', `/api/operations/${operationId}/cancel`);
    expect(await blueprintStatus(blueprintId)).toBe('draft');
    expect(await latestFeature(blueprintId)).toMatchObject({ phase: 'cancelled' });
  });
});

describe('a build whose browser check is lost', () => {
  it('fails when the robot’s worker crashes out of attempts, ends `verify` rather than leaving it waiting, and a retry verifies and builds the Blueprint', {
    timeout: 300_000,
  }, async () => {
    await listenApp(t);
    t.res.deploy.start({ bus: t.res.bus });
    // Workers for every queue but the browser robot's: its step is taken by workers that crash.
    await startWorkers(t.res.registry.queues().filter((q) => q !== 'browser'));
    const started = await api('POST', '/api/prompts', { prompt: 'a guest book where visitors leave notes' });
    expect(started.statusCode, started.body).toBe(202);
    const { operationId, blueprintId } = started.json();

    for (let crash = 1; crash <= 2; crash++) {
      await until(
        async () => {
          const op = await getOperation(t.res.db, operationId);
          if (['failed', 'cancelled'].includes(op.status)) throw new Error(JSON.stringify(op.error));
          return op.steps.find((s) => s.key === 'verify/browser')?.status === 'ready';
        },
        200_000,
        `verify/browser ready for crash ${crash}`,
      );
      await crashWorkerOn(t.res.db, t.res.registry, ['browser']);
    }
    const failed = await waitForOperation(t.res.db, operationId, { timeoutMs: 10_000, bus: t.res.bus });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ step: 'verify/browser' });
    expect(await unfinishedSteps(operationId)).toEqual([]);
    expect((await getOperation(t.res.db, operationId)).steps.find((s) => s.key === 'verify')?.status).toBe(
      'cancelled',
    );
    expect(await blueprintStatus(blueprintId)).toBe('ready');
    expect(await latestFeature(blueprintId)).toMatchObject({ phase: 'failed' });
    // Whoever asked for the build is told it failed, with the step that failed.
    const kinds = async () =>
      ((await api('GET', '/api/me/notifications')).json().items as Array<{ kind: string; link: string }>)
        .filter((n) => n.kind.startsWith('build_') && n.link.includes(operationId))
        .map((n) => n.kind);
    expect(await kinds()).toEqual(['build_failed']);
    const chat = await api('POST', `/api/blueprints/${blueprintId}/messages`, {
      content: 'add entity Tag with name:text!',
      mode: 'rules',
    });
    expect(chat.statusCode, chat.body).toBe(200);

    const retry = await api('POST', `/api/operations/${operationId}/retry`);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(await blueprintStatus(blueprintId)).toBe('building');
    await startWorkers(['browser']);
    const op = await waitForOperation(t.res.db, operationId, { timeoutMs: 120_000, bus: t.res.bus });
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect(await blueprintStatus(blueprintId)).toBe('built');
    const moves = (await latestFeature(blueprintId)).history.map((m: { to: string }) => m.to);
    expect(moves.at(-1)).toBe('done');
    expect(moves.indexOf('failed')).toBeGreaterThan(moves.indexOf('deploy'));
    // …and that it is fixed, once.
    expect(await kinds()).toEqual(['build_fixed', 'build_failed']);
  });
});
