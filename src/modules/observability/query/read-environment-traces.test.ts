import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { createProjectAs } from '../../../../test/git.ts';
import { hex, insertEnvironment, insertLogs, insertSpans } from '../telemetry.test-support.ts';

let t: TestApp;
let token: string;
const slug = 'tracing';
const now = Date.now();
const at = (msAgo: number, plusUs = 0) => {
  const d = new Date(now - msAgo);
  return `${d.toISOString().slice(0, 23)}${String(plusUs).padStart(3, '0')}Z`;
};
const checkout = hex(16);
const deploy = hex(16);
const slow = hex(16);
const ids = { root: hex(8), db: hex(8), pay: hex(8), orchard: hex(8) };

beforeAll(async () => {
  t = await createTestApp();
  token = (await t.user('admin')).token;
  await createProjectAs(t, token, slug);
  const projectId = (await t.res.db.query<{ id: string }>('SELECT id FROM projects WHERE slug = $1', [slug]))
    .rows[0]!.id;
  const scope = { projectId, environmentId: await insertEnvironment(t.res.db, projectId, 'staging') };
  await insertSpans(t.res.db, scope, [
    {
      traceId: checkout,
      spanId: ids.root,
      name: 'POST /checkout',
      start: at(60_000),
      durationMs: 120,
      kind: 2,
      serviceName: 'web',
    },
    {
      traceId: checkout,
      spanId: ids.db,
      parentSpanId: ids.root,
      name: 'SELECT orders',
      start: at(60_000 - 10, 250),
      durationMs: 30.5,
      kind: 3,
      attributes: { 'db.system': 'postgresql' },
    },
    {
      traceId: checkout,
      spanId: ids.pay,
      parentSpanId: ids.root,
      name: 'charge card',
      start: at(60_000 - 50),
      durationMs: 60,
      statusCode: 2,
      statusMessage: 'card declined',
      events: [{ name: 'exception', time: at(60_000 - 20), attributes: { 'exception.message': 'declined' } }],
    },
    {
      traceId: deploy,
      spanId: ids.orchard,
      name: 'deploy staging',
      start: at(30_000),
      durationMs: 4000,
      source: 'orchard',
      serviceName: 'orchard',
    },
    { traceId: slow, spanId: hex(8), name: 'GET /report', start: at(20_000), durationMs: 2500 },
  ]);
  await insertLogs(t.res.db, scope, [
    { time: at(60_000 - 12), body: 'charging card', traceId: checkout, spanId: ids.pay },
    { time: at(60_000 - 20), body: 'card declined', traceId: checkout, spanId: ids.pay, severityNumber: 17 },
    { time: at(60_000 - 5), body: 'checkout started', traceId: checkout, spanId: ids.root },
  ]);
});
afterAll(async () => t?.close());

const get = async (path: string) => {
  const r = await t.http.inject({
    url: `/api/projects/${slug}/environments/staging/telemetry${path}`,
    headers: bearer(token),
  });
  return r;
};
const traceIds = async (query: string) => {
  const r = await get(`/traces?${query}`);
  expect(r.statusCode, r.body).toBe(200);
  return (r.json().items as Array<{ traceId: string }>).map((i) => i.traceId);
};

describe('traces of an environment', () => {
  it('lists recent traces newest first by their root span, with span count, duration and error', async () => {
    const r = (await get('/traces')).json();
    expect(r.items.map((i: { rootName: string }) => i.rootName)).toEqual([
      'GET /report',
      'deploy staging',
      'POST /checkout',
    ]);
    const c = r.items[2];
    expect(c).toMatchObject({
      traceId: checkout,
      serviceName: 'web',
      spanCount: 3,
      error: true,
      orchard: false,
    });
    expect(c.durationMs).toBeCloseTo(120, 1);
    expect(r.items[1]).toMatchObject({ orchard: true, error: false });
  });

  it('filters by least duration, errors and a span name, and pages', async () => {
    expect(await traceIds('minDurationMs=2000')).toEqual([slow, deploy]);
    expect(await traceIds('errors=true')).toEqual([checkout]);
    expect(await traceIds('name=select')).toEqual([checkout]);
    const first = (await get('/traces?limit=2')).json();
    expect(first.items).toHaveLength(2);
    const second = (await get(`/traces?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((i: { traceId: string }) => i.traceId)).toEqual([checkout]);
    expect(second.nextCursor).toBeNull();
  });

  it('gives one trace as a waterfall: offsets in µs from its start, depth, errors, and its logs per span', async () => {
    const r = await get(`/traces/${checkout.toUpperCase()}`);
    expect(r.statusCode, r.body).toBe(200);
    const trace = r.json();
    expect(trace).toMatchObject({ traceId: checkout, spanCount: 3, error: true });
    expect(trace.durationUs).toBeCloseTo(120_000, 0);
    const byName = Object.fromEntries(trace.spans.map((s: { name: string }) => [s.name, s]));
    expect(byName['POST /checkout']).toMatchObject({
      offsetUs: 0,
      depth: 0,
      logCount: 1,
      parentSpanId: null,
    });
    expect(byName['SELECT orders']).toMatchObject({
      offsetUs: 10_250,
      durationUs: 30_500,
      depth: 1,
      logCount: 0,
    });
    expect(byName['charge card']).toMatchObject({ error: true, statusMessage: 'card declined', logCount: 2 });
    expect(byName['charge card'].events[0].name).toBe('exception');
    // The span's link is the log search of its records.
    const logs = await t.http.inject({ url: byName['charge card'].logsUrl, headers: bearer(token) });
    expect(logs.statusCode, logs.body).toBe(200);
    expect(logs.json().items.map((i: { body: string }) => i.body)).toEqual([
      'card declined',
      'charging card',
    ]);
    // And a record's link leads back to the trace.
    expect(
      (await t.http.inject({ url: logs.json().items[0].traceUrl, headers: bearer(token) })).json().traceId,
    ).toBe(checkout);
  });

  it("labels Orchard's own spans", async () => {
    const trace = (await get(`/traces/${deploy}`)).json();
    expect(trace.spans[0]).toMatchObject({ source: 'orchard', name: 'deploy staging' });
  });

  it('answers 404 for a trace it does not hold and 400 for what is not a trace id', async () => {
    expect((await get(`/traces/${hex(16)}`)).statusCode).toBe(404);
    const bad = await get('/traces/not-a-trace');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/trace id/);
    expect((await get('/traces?minDurationMs=-1')).statusCode).toBe(400);
    expect((await get('/traces?cursor=abc')).statusCode).toBe(400);
  });
});
