import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer } from '../../../../test/app.ts';
import { appRequest, type DeployFixture, deployFixture } from '../../../../test/support/deploy-fixture.ts';
import { createWorkerPool, type WorkerPool, waitForOperation } from '../../operations/index.ts';
import { MAIL_TEST_APP } from '../mail/mail-test-app.test-support.ts';

/**
 * Analytics counts the pages a deployed app served through Orchard's proxy — GETs answered 2xx with
 * HTML, per day and path without the query — for projects that attached it, and nothing else.
 */
let f: DeployFixture;
let workers: WorkerPool;
let host: string;

const api = (method: 'GET' | 'POST' | 'DELETE', path: string, payload?: object) =>
  f.t.http.inject({ method, url: path, headers: bearer(f.token), ...(payload ? { payload } : {}) });
const stats = async (query = '') => {
  await f.t.res.services.pageViews.flush();
  const res = await api('GET', `/api/projects/${f.slug}/services/analytics/stats${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

beforeAll(async () => {
  f = await deployFixture();
  workers = createWorkerPool({
    res: f.t.res,
    registry: f.t.res.registry,
    queues: [],
    concurrency: 2,
    pollMs: 50,
  });
  await workers.start();
  await f.push('pages', { extra: MAIL_TEST_APP });
  const started = await api('POST', `/api/projects/${f.slug}/deploy`, { env: 'staging', ref: 'main' });
  const op = await waitForOperation(f.t.res.db, started.json().operationId, {
    timeoutMs: 90_000,
    bus: f.t.res.bus,
  });
  expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  host = `staging--${f.slug}.localhost:${f.port}`;
}, 120_000);
afterAll(async () => {
  await workers?.stop();
  await f?.close();
});

const visit = async (...paths: string[]) => {
  for (const path of paths) await appRequest(f.port, host, path);
};

it('counts nothing for a project without the analytics service', async () => {
  await visit('/', '/');
  expect((await stats()).total).toBe(0);
});

it('counts HTML pages per day and path once attached, and only those', async () => {
  const attached = await api('POST', `/api/projects/${f.slug}/services`, { id: 'analytics' });
  expect(attached.statusCode, attached.body).toBe(201);
  // Three pages of `/`, one of /about (its query is not part of the path); a 404 page, JSON, the
  // health check and a HEAD are not page views.
  await visit('/', '/?utm=mail', '/', '/about?x=1', '/missing', '/env', '/health');
  const head = await new Promise<number>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: f.port, method: 'HEAD', path: '/', headers: { host } },
      (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
  expect(head).toBe(200);
  const today = new Date().toISOString().slice(0, 10);
  const counted = await stats();
  expect(counted).toMatchObject({
    to: today,
    total: 4,
    environment: null,
    topPaths: [
      { path: '/', views: 3 },
      { path: '/about', views: 1 },
    ],
  });
  expect(counted.days).toHaveLength(30);
  expect(counted.days.at(-1)).toEqual({ day: today, views: 4 });
  // Later batches add to the same day and path.
  await visit('/about');
  expect((await stats('?env=staging')).topPaths).toEqual([
    { path: '/', views: 3 },
    { path: '/about', views: 2 },
  ]);
  expect((await stats(`?from=${today}&to=${today}`)).days).toEqual([{ day: today, views: 5 }]);
});

it('refuses a range backwards or longer than a year, and an unknown environment', async () => {
  const url = `/api/projects/${f.slug}/services/analytics/stats`;
  expect((await api('GET', `${url}?from=2025-02-01&to=2025-01-01`)).statusCode).toBe(400);
  expect((await api('GET', `${url}?from=2023-01-01&to=2025-01-01`)).statusCode).toBe(400);
  expect((await api('GET', `${url}?env=production`)).statusCode).toBe(404);
});

it('stops counting once detached (the counts so far stay)', async () => {
  const before = (await stats()).total;
  expect((await api('DELETE', `/api/projects/${f.slug}/services/analytics`)).statusCode).toBe(204);
  await visit('/', '/');
  expect((await stats()).total).toBe(before);
});
