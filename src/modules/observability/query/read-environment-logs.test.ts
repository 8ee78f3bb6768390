import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { addMember, createProjectAs } from '../../../../test/git.ts';
import { hex, insertEnvironment, insertLogs } from '../telemetry.test-support.ts';
import { RECENT_SCAN_ROWS } from './search-logs.ts';

let t: TestApp;
let token: string;
let viewer: string;
const slug = 'logsearch';
let scope: { environmentId: string; projectId: string };
const now = Date.now();
const ago = (ms: number) => new Date(now - ms).toISOString();
const traceId = hex(16);
const spanId = hex(8);

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.user('admin');
  token = admin.token;
  await createProjectAs(t, token, slug);
  const v = await t.user('member');
  await addMember(t, token, slug, v.user.username, 'viewer');
  viewer = v.token;
  const projectId = (await t.res.db.query<{ id: string }>('SELECT id FROM projects WHERE slug = $1', [slug]))
    .rows[0]!.id;
  scope = { projectId, environmentId: await insertEnvironment(t.res.db, projectId, 'staging') };
  await insertLogs(t.res.db, scope, [
    { time: ago(60_000), body: 'GET /api/items 200 in 12ms', attributes: { 'http.status_code': 200 } },
    {
      time: ago(50_000),
      body: 'Payment FAILED for order 42: card declined',
      severityNumber: 17,
      severityText: 'ERROR',
      attributes: { 'http.status_code': 500, 'user.id': 'u7' },
      traceId,
      spanId,
    },
    {
      time: ago(40_000),
      body: 'card declined again for order 43',
      severityNumber: 13,
      serviceName: 'worker',
    },
    { time: ago(30_000), body: 'declined card, order 44', severityNumber: 21, attributes: { retry: true } },
    // Older than the default hour.
    { time: ago(2 * 3_600_000), body: 'card declined long ago' },
  ]);
  // A second environment's records are never found from this one.
  const other = await insertEnvironment(t.res.db, projectId, 'production');
  await insertLogs(t.res.db, { ...scope, environmentId: other }, [
    { time: ago(1000), body: 'card declined in production' },
  ]);
});
afterAll(async () => {
  if (process.env.DBG)
    console.log(
      t.logs
        .filter((l) => /"level":(40|50)/.test(l))
        .slice(0, 3)
        .join('\n'),
    );
  await t?.close();
});

const search = async (query: string, who = token) => {
  const r = await t.http.inject({
    url: `/api/projects/${slug}/environments/staging/telemetry/logs?${query}`,
    headers: bearer(who),
  });
  return r;
};
const bodies = async (query: string) => {
  const r = await search(query);
  expect(r.statusCode, r.body).toBe(200);
  return (r.json().items as Array<{ body: string }>).map((i) => i.body);
};

describe('log search of an environment', () => {
  it('finds records holding every word, any case, newest first, in the last hour by default', async () => {
    expect(await bodies('q=declined+card')).toEqual([
      'declined card, order 44',
      'card declined again for order 43',
      'Payment FAILED for order 42: card declined',
    ]);
    expect(await bodies('q=failed')).toEqual(['Payment FAILED for order 42: card declined']);
    expect(await bodies('q=nothing-like-this')).toEqual([]);
  });

  it('matches a quoted phrase word for word', async () => {
    expect(await bodies(`q=${encodeURIComponent('"card declined"')}`)).toEqual([
      'card declined again for order 43',
      'Payment FAILED for order 42: card declined',
    ]);
    expect(await bodies(`q=${encodeURIComponent('"card declined" again')}`)).toEqual([
      'card declined again for order 43',
    ]);
  });

  it('filters by severity (a number or a name), service, attributes and trace', async () => {
    expect(await bodies('severity=error')).toEqual([
      'declined card, order 44',
      'Payment FAILED for order 42: card declined',
    ]);
    expect(await bodies('severity=21')).toEqual(['declined card, order 44']);
    expect(await bodies('severity=WARNING&q=card')).toHaveLength(3);
    expect(await bodies('service=worker')).toEqual(['card declined again for order 43']);
    // A number matches the number stored; several filters all hold; in the text too.
    expect(await bodies('attr=http.status_code%3D500')).toEqual([
      'Payment FAILED for order 42: card declined',
    ]);
    expect(await bodies('attr=http.status_code%3D500&attr=user.id%3Du8')).toEqual([]);
    expect(await bodies(`q=${encodeURIComponent('card attr.retry=true')}`)).toEqual([
      'declined card, order 44',
    ]);
    expect(await bodies(`traceId=${traceId}&spanId=${spanId}`)).toEqual([
      'Payment FAILED for order 42: card declined',
    ]);
  });

  it('links a record with a trace to it, and reads a given time range', async () => {
    const r = (await search(`traceId=${traceId}`)).json();
    expect(r.items[0].traceUrl).toBe(
      `/api/projects/${slug}/environments/staging/telemetry/traces/${traceId}`,
    );
    expect(await bodies(`q=declined&from=${ago(3 * 3_600_000)}&to=${ago(3_600_000)}`)).toEqual([
      'card declined long ago',
    ]);
  });

  it('lets project viewers read', async () => {
    expect((await search('q=card', viewer)).statusCode).toBe(200);
  });

  it('pages by µs without skipping or repeating records of one millisecond, or of one µs', async () => {
    const env = await insertEnvironment(t.res.db, scope.projectId, 'preview/paging');
    const base = new Date(now - 10_000).toISOString().slice(0, 23); // …ss.mmm
    const times = ['001', '002', '002', '002', '003', '999'].map((us) => `${base}${us}Z`);
    await insertLogs(
      t.res.db,
      { ...scope, environmentId: env },
      times.map((time, i) => ({ time, body: `tick ${i}` })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: {
        statusCode: number;
        body: string;
        json(): { items: Array<{ time: string; body: string }>; nextCursor: string | null };
      } = await t.http.inject({
        url: `/api/projects/${slug}/environments/preview%2Fpaging/telemetry/logs?q=tick&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: bearer(token),
      });
      expect(r.statusCode, r.body).toBe(200);
      const page = r.json();
      seen.push(...page.items.map((i) => `${i.time} ${i.body}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((s) => s.split(' ')[0])).toEqual([...times].reverse());
    expect(new Set(seen.map((s) => s.split(' ')[2])).size).toBe(times.length);
  });

  it(`finds the matches older than the newest ${RECENT_SCAN_ROWS} records, across pages`, async () => {
    const env = await insertEnvironment(t.res.db, scope.projectId, 'preview/many');
    // Records 1 s apart, newest first by n; the needle sits on both sides of the recent scan's edge.
    const needles = new Set([
      5,
      RECENT_SCAN_ROWS - 1,
      RECENT_SCAN_ROWS,
      RECENT_SCAN_ROWS + 1,
      RECENT_SCAN_ROWS + 40,
    ]);
    await t.res.db.query(
      `INSERT INTO otel_logs (environment_id, project_id, time, body)
       SELECT $1, $2, now() - n * interval '100 millisecond',
              CASE WHEN n = ANY($3::int[]) THEN 'needle ' || n ELSE 'hay ' || n END
       FROM generate_series(0, $4::int) n`,
      [env, scope.projectId, [...needles], RECENT_SCAN_ROWS + 100],
    );
    const found: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { json(): { items: Array<{ body: string }>; nextCursor: string | null } } =
        await t.http.inject({
          url: `/api/projects/${slug}/environments/preview%2Fmany/telemetry/logs?q=needle&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          headers: bearer(token),
        });
      const page = r.json();
      found.push(...page.items.map((i) => i.body));
      cursor = page.nextCursor;
    } while (cursor);
    expect(found).toEqual([...needles].sort((a, b) => a - b).map((n) => `needle ${n}`));
  });
});

describe('bad input is a 400 problem that says what to fix', () => {
  it.each([
    ['from=yesterday', /from/],
    ['from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z', /before/],
    ['cursor=bm90LWEtY3Vyc29y', /cursor/],
    // A ms cursor (what older lists issued) is not a µs one.
    [
      `cursor=${Buffer.from(JSON.stringify(['2026-01-01T00:00:00.123Z', '(0,1)'])).toString('base64url')}`,
      /cursor/,
    ],
    ['severity=loud', /severity/],
    ['severity=25', /severity/],
    ['limit=501', /limit/],
    ['limit=0', /limit/],
    ['attr=%3Dvalue', /key=value/],
    ['traceId=xyz', /trace id/],
  ])('%s', async (query, said) => {
    const r = await search(query);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(r.json())).toMatch(said);
  });

  it('an unknown environment is a 404', async () => {
    const r = await t.http.inject({
      url: `/api/projects/${slug}/environments/preview%2Fnowhere/telemetry/logs`,
      headers: bearer(token),
    });
    expect(r.statusCode).toBe(404);
  });
});
