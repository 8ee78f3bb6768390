import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { adminQuery } from '../../../../test/db.ts';
import { listenApp, startWorkers } from '../../../../test/git.ts';
import { appJson, appRequest } from '../../../../test/support/deploy-fixture.ts';
import { getOperation, type WorkerPool, waitForOperation } from '../../operations/index.ts';

/**
 * Offline (no LLM provider), each newer template through the whole loop a prompt starts, as the
 * first templates go: the Architect's rules pick the template, the scaffold builds it, its own
 * tests pass in its pipeline, its preview and then staging are deployed (with a PostgreSQL database
 * of their own for the apps that keep records) and the browser robot verifies them with the
 * template's smoke suite and the Blueprint's stories.
 */
let t: TestApp;
let workers: WorkerPool;
let h: { authorization: string };
let port: number;

beforeAll(async () => {
  t = await createTestApp({
    'deploy.healthTimeoutMs': 20_000,
    'deploy.drainTimeoutMs': 1_000,
    'rateLimit.tokenPerMinute': 100_000,
    'rateLimit.ipPerMinute': 100_000,
    'appDatabases.serverUrl': inject('pgAdminUrl'),
    // The test reads the apps through the proxy as anyone would.
    'deploy.privateByDefault': false,
  });
  port = Number(new URL(await listenApp(t)).port);
  workers = await startWorkers(t);
  t.res.deploy.start({ bus: t.res.bus });
  h = bearer((await t.user('member')).token);
});
afterAll(async () => {
  await workers?.stop();
  await t?.res.deploy.stop();
  // Staging's databases are Orchard's to keep; this test drops the ones it made.
  const made = await t?.res.db.query<{ name: string }>(
    `SELECT name FROM app_databases WHERE status <> 'dropped'`,
  );
  for (const { name } of made?.rows ?? []) {
    await adminQuery(inject('pgAdminUrl'), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminQuery(inject('pgAdminUrl'), `DROP ROLE IF EXISTS ${name}`);
  }
  await t?.res.browsers.close();
  await t?.close();
});

const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
  t.http.inject({ method, url, headers: h, payload });

/** A GET of a deployed app through Orchard's proxy (the Host header names the environment). */
async function onApp(appUrl: string, path: string) {
  const res = await appRequest(port, new URL(appUrl).host, path);
  return { status: res.status, type: String(res.headers['content-type'] ?? ''), text: res.body };
}

/** A JSON request to a deployed app through Orchard's proxy. */
const postToApp = (appUrl: string, path: string, body: unknown) =>
  appJson(port, new URL(appUrl).host, 'POST', path, body);

/** Builds a prompt to the end and returns what the build's steps answered. */
async function build(prompt: string) {
  const res = await api('POST', '/api/prompts', { prompt });
  expect(res.statusCode, res.body).toBe(202);
  const started = res.json() as { operationId: string; projectSlug: string; blueprintId: string };
  const op = await waitForOperation(t.res.db, started.operationId, { timeoutMs: 280_000, bus: t.res.bus });
  expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  const { steps } = await getOperation(t.res.db, started.operationId);
  const output = (key: string) => steps.find((s) => s.key === key)?.output as Record<string, unknown>;
  const events = (await api('GET', `/api/operations/${started.operationId}/events?limit=1000`)).json()
    .items as Array<{ step: string | null; type: string; data: Record<string, unknown> }>;
  const blueprint = (await api('GET', `/api/blueprints/${started.blueprintId}`)).json();
  const robot = output('verify/browser') as { passed: boolean; pages: Array<{ name: string }> };
  const landed = output('land') as { merged: boolean; staging: { url: string; verified: boolean } };
  expect(output('verify/report')).toMatchObject({ passed: true });
  expect(landed).toMatchObject({ merged: true, staging: { verified: true } });
  expect(blueprint.status).toBe('built');
  const logs = events.filter((e) => e.type === 'log').map((e) => String(e.data.text ?? ''));
  return { ...started, blueprint, robot, staging: landed.staging.url, logs, output };
}

/** The robot ran the template's own suite (its page names) besides the Blueprint's stories. */
function ranSmokeSuite(b: Awaited<ReturnType<typeof build>>, pages: string[]) {
  expect(b.logs.some((line) => line.includes('acceptance checks in .orchard/smoke.yml'))).toBe(true);
  expect(b.robot.pages.map((p) => p.name)).toEqual(expect.arrayContaining(pages));
}

describe('prompts for the newer templates, offline, from prompt to verified staging', () => {
  it('"a REST API for books and their authors" → api-service: JSON at /, its OpenAPI document, records in PostgreSQL', {
    timeout: 300_000,
  }, async () => {
    const b = await build('a REST API for books and their authors');
    expect(b.blueprint.blueprint).toMatchObject({ template: 'api-service', sections: { pages: [] } });
    ranSmokeSuite(b, ['API root', 'OpenAPI document', 'Health', 'API: Books']);
    const root = await onApp(b.staging, '/');
    expect(root.type).toMatch(/application\/json/);
    expect(JSON.parse(root.text)).toMatchObject({
      name: b.blueprint.blueprint.feature,
      docs: '/openapi.json',
    });
    const doc = JSON.parse((await onApp(b.staging, '/openapi.json')).text);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/books', '/api/books/{id}']));
    const created = await postToApp(b.staging, '/api/authors', { name: 'Ursula' });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const invalid = await postToApp(b.staging, '/api/authors', { name: 42 });
    expect(invalid).toMatchObject({
      status: 400,
      json: { fields: [{ field: 'name', message: 'must be text' }] },
    });
    // Staging keeps its records in a PostgreSQL database of its own.
    const database = await t.res.db.query<{ name: string }>(
      `SELECT name FROM app_databases WHERE environment_kind = 'staging' AND status = 'ready'
          AND project_id = (SELECT id FROM projects WHERE slug = $1)`,
      [b.projectSlug],
    );
    expect(database.rows).toHaveLength(1);
    const url = new URL(inject('pgAdminUrl'));
    url.pathname = `/${database.rows[0]!.name}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT data->>'name' AS name FROM authors`);
      expect(rows).toEqual([{ name: 'Ursula' }]);
    } finally {
      await client.end();
    }
  });

  it('"a dashboard of my expenses by category" → dashboard: charts at /, counting what is added', {
    timeout: 300_000,
  }, async () => {
    const b = await build('a dashboard of my expenses by category');
    expect(b.blueprint.blueprint.template).toBe('dashboard');
    ranSmokeSuite(b, ['Dashboard', 'Expenses']);
    const before = await onApp(b.staging, '/');
    const total = () => /data-model="Expense" data-total="(\d+)"/.exec(before.text)?.[1];
    expect(before.status).toBe(200);
    const counted = Number(total());
    const added = await postToApp(b.staging, '/api/expenses', {
      description: 'Bread',
      amount: 3.5,
      spentOn: '2025-02-01',
    });
    expect(added.status, JSON.stringify(added.json)).toBe(201);
    const after = await onApp(b.staging, '/');
    expect(after.text).toContain(`data-model="Expense" data-total="${counted + 1}"`);
    expect(after.text).toContain('<svg viewBox=');
  });

  it('"a blog about my travels" → static-site: Markdown pages with navigation, posts listed and opened', {
    timeout: 300_000,
  }, async () => {
    const b = await build('a blog about my travels');
    expect(b.blueprint.blueprint).toMatchObject({ template: 'static-site', sections: { apiEndpoints: [] } });
    ranSmokeSuite(b, ['Home', 'Posts', 'About', 'Navigation to Posts']);
    const home = await onApp(b.staging, '/');
    expect(home.text).toContain(`<h1>${b.blueprint.blueprint.feature}</h1>`);
    expect(home.text).toContain('<a href="/posts">Posts</a>');
    expect((await onApp(b.staging, '/posts')).text).toContain('<a href="/posts/welcome">Welcome</a>');
    expect((await onApp(b.staging, '/posts/welcome')).text).toContain('<h1>Welcome</h1>');
    expect((await onApp(b.staging, '/api/posts')).status).toBe(404);
  });
});
