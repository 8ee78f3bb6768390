import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer } from '../../../../test/app.ts';
import { appRequest, type DeployFixture, deployFixture } from '../../../../test/support/deploy-fixture.ts';
import { until } from '../../../../test/support/until.ts';
import { listTemplates, renderTemplate } from '../../agents/index.ts';
import { createWorkerPool, type WorkerPool, waitForOperation } from '../../operations/index.ts';

/**
 * A generated app deployed by Orchard gets OTEL_* at its start and exports over OTLP/JSON: a request
 * to it shows up as a server span and a log record of the same trace, tagged with its environment.
 */
let f: DeployFixture;
let workers: WorkerPool;

beforeAll(async () => {
  f = await deployFixture();
  f.t.res.selfUrl = `http://127.0.0.1:${f.port}`;
  workers = createWorkerPool({
    res: f.t.res,
    registry: f.t.res.registry,
    queues: [],
    concurrency: 2,
    pollMs: 50,
  });
  await workers.start();
});
afterAll(async () => {
  await workers?.stop();
  await f?.close();
});

it("a deployed generated app's request is a server span and a log record with the same trace_id", async () => {
  const api = (method: 'POST' | 'PATCH', path: string, payload: object) =>
    f.t.http.inject({ method, url: `/api/projects/${f.slug}${path}`, headers: bearer(f.token), payload });
  // The app must reach Orchard's loopback port: the project runs on the host network.
  const patched = await api('PATCH', '', { hostNetwork: true });
  expect(patched.statusCode, patched.body).toBe(200);
  const template = listTemplates().find((t) => t.id === 'crud-app')!;
  const files = Object.fromEntries(renderTemplate('crud-app', template.blueprint));
  await f.push('generated', { extra: files });
  const started = await api('POST', '/deploy', { env: 'staging', ref: 'main' });
  expect(started.statusCode, started.body).toBe(202);
  const op = await waitForOperation(f.t.res.db, started.json().operationId, {
    timeoutMs: 90_000,
    bus: f.t.res.bus,
  });
  expect(op.status, JSON.stringify(op.error)).toBe('succeeded');

  const page = await appRequest(f.port, `staging--${f.slug}.localhost:${f.port}`, '/');
  expect(page.status).toBe(200);
  const missing = await appRequest(f.port, `staging--${f.slug}.localhost:${f.port}`, '/no-such-page');
  expect(missing.status).toBe(404);

  const { rows: envs } = await f.t.res.db.query(
    "SELECT id FROM environments WHERE project_id = $1 AND name = 'staging'",
    [f.project.id],
  );
  const envId = envs[0].id;
  const span = await until(
    async () =>
      (
        await f.t.res.db.query(
          `SELECT * FROM otel_spans WHERE environment_id = $1 AND source = 'app' AND attributes->>'url.path' = '/'`,
          [envId],
        )
      ).rows[0],
    20_000,
    "the app's server span",
  );
  expect(span).toMatchObject({ kind: 2, project_id: f.project.id, service_name: f.slug });
  expect(span.attributes['http.response.status_code']).toBe(200);
  const log = await until(
    async () =>
      (
        await f.t.res.db.query('SELECT * FROM otel_logs WHERE environment_id = $1 AND trace_id = $2', [
          envId,
          span.trace_id,
        ])
      ).rows[0],
    20_000,
    "the request's log record",
  );
  expect(log).toMatchObject({ span_id: span.span_id, severity_text: 'INFO' });
  expect(log.body).toMatch(/^GET \/ 200/);

  // The page's browser errors come back through the app as exception log records.
  const body = JSON.stringify({ type: 'TypeError', message: 'x is undefined', stack: 'at main.js:1' });
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: f.port,
        method: 'POST',
        path: '/__telemetry/errors',
        headers: { host: `staging--${f.slug}.localhost:${f.port}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  expect(status).toBe(204);
  const browser = await until(
    async () =>
      (
        await f.t.res.db.query(
          `SELECT * FROM otel_logs WHERE environment_id = $1 AND attributes->>'orchard.error.source' = 'browser'`,
          [envId],
        )
      ).rows[0],
    20_000,
    'the browser error record',
  );
  expect(browser.attributes).toMatchObject({
    'exception.type': 'TypeError',
    'exception.message': 'x is undefined',
    'exception.stacktrace': 'at main.js:1',
  });
  expect(browser.severity_number).toBe(17);
});
