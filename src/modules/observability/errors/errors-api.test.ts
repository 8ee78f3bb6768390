import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { addMember, createProjectAs } from '../../../../test/git.ts';
import { ensureEnvironment } from '../../../../test/support/deploy-fixture.ts';
import { until } from '../../../../test/support/until.ts';
import { hostLabel } from '../../deploy/index.ts';
import { findProjectBySlug } from '../../projects/index.ts';
import { recordErrors } from './record-errors.ts';

let t: TestApp;
let admin: string;
const tokens = {} as Record<'viewer' | 'developer' | 'outsider' | 'member', string>;
let staging: { environmentId: string; projectId: string };
let production: { environmentId: string; projectId: string };

const api = (method: 'GET' | 'POST', url: string, token: string, payload?: unknown) =>
  t.http.inject({
    method,
    url,
    headers: bearer(token),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const countRows = async (table: string) =>
  Number((await t.res.db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);

async function environment(name: 'staging' | 'production') {
  const project = (await findProjectBySlug(t.res.db, 'shop'))!;
  const env = await ensureEnvironment(t.res.db, {
    projectId: project.id,
    name,
    kind: name,
    branch: null,
    hostLabel: hostLabel(name, 'shop'),
    now: new Date(),
  });
  return { environmentId: env.id, projectId: project.id };
}

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.tokenPerMinute': 100_000, 'rateLimit.ipPerMinute': 100_000 });
  admin = (await t.user('admin')).token;
  await createProjectAs(t, admin, 'shop');
  for (const role of ['viewer', 'developer'] as const) {
    const u = await t.user('member');
    tokens[role] = u.token;
    await addMember(t, admin, 'shop', u.user.username, role);
  }
  tokens.outsider = (await t.user('member')).token;
  tokens.member = (await t.user('member')).token;
  staging = await environment('staging');
  production = await environment('production');
  const stack = (fn: string) => `TypeError: boom\n    at ${fn} (/srv/app/src/${fn}.js:1:1)`;
  await recordErrors(t.res.errors.deps, [
    {
      scope: staging,
      type: 'TypeError',
      message: 'older',
      stack: stack('a'),
      time: new Date('2026-03-01T10:00:00Z'),
    },
    {
      scope: staging,
      type: 'TypeError',
      message: 'newer',
      stack: stack('b'),
      time: new Date('2026-03-01T11:00:00Z'),
      traceId: 'ab'.repeat(16),
    },
    { scope: production, type: 'TypeError', message: 'prod only', stack: stack('c'), time: new Date() },
  ]);
});
afterAll(async () => {
  await t?.close();
});

describe('environment error groups', () => {
  const base = '/api/projects/shop/environments/staging/errors';

  it('lists the environment’s groups to viewers, last seen first; outsiders are refused', async () => {
    const list = await api('GET', base, tokens.viewer);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((g: { message: string }) => g.message)).toEqual(['newer', 'older']);
    expect(list.json().items[0]).toMatchObject({ count: 1, status: 'open', scope: 'environment' });
    const paged = await api('GET', `${base}?limit=1`, tokens.viewer);
    const next = await api('GET', `${base}?limit=1&cursor=${paged.json().nextCursor}`, tokens.viewer);
    expect(next.json().items.map((g: { message: string }) => g.message)).toEqual(['older']);
    expect((await api('GET', base, tokens.outsider)).statusCode).toBe(403);
    expect(
      (await api('GET', '/api/projects/shop/environments/preview--nope/errors', tokens.viewer)).statusCode,
    ).toBe(404);
    expect((await api('GET', `${base}?status=closed`, tokens.viewer)).statusCode).toBe(400);
  });

  it('shows a group with its stack and occurrences; a group of another environment is a 404', async () => {
    const [newer] = (await api('GET', base, tokens.viewer)).json().items;
    const detail = await api('GET', `${base}/${newer.id}`, tokens.viewer);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().group.lastStack).toContain('at b (/srv/app/src/b.js:1:1)');
    expect(detail.json().occurrences).toEqual([
      expect.objectContaining({ message: 'newer', traceId: 'ab'.repeat(16) }),
    ]);
    const prod = (await api('GET', '/api/projects/shop/environments/production/errors', tokens.viewer)).json()
      .items[0];
    expect((await api('GET', `${base}/${prod.id}`, tokens.viewer)).statusCode).toBe(404);
  });

  it('developers resolve, ignore and reopen (audited); viewers may not', async () => {
    const [group] = (await api('GET', base, tokens.viewer)).json().items;
    const url = `${base}/${group.id}/status`;
    const refused = await api('POST', url, tokens.viewer, { status: 'resolved' });
    expect(refused.statusCode).toBe(403);
    const bad = await api('POST', url, tokens.developer, { status: 'fixed' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    for (const status of ['resolved', 'ignored', 'open'] as const) {
      const r = await api('POST', url, tokens.developer, { status });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().status).toBe(status);
    }
    const { rows } = await t.res.db.query(
      "SELECT action, data FROM audit_log WHERE target_type = 'error_group' AND target_id = $1 ORDER BY id",
      [group.id],
    );
    expect(rows.map((r) => r.action)).toEqual([
      'error_group.resolve',
      'error_group.ignore',
      'error_group.reopen',
    ]);
    expect(rows[0].data).toMatchObject({ from: 'open' });
  });
});

describe("Orchard's own errors", () => {
  it('admins list them under /api/admin/errors; members are refused', async () => {
    expect((await api('GET', '/api/admin/errors', tokens.member)).statusCode).toBe(403);
    const r = await api('GET', '/api/admin/errors', admin);
    expect(r.statusCode).toBe(200);
  });

  it('records an opaque 500 from the error mapper, with its route and request id', async () => {
    await t.res.db.query('ALTER TABLE webhooks RENAME TO webhooks_gone');
    try {
      const r = await t.http.inject({
        method: 'GET',
        url: '/api/projects/shop/webhooks',
        headers: { ...bearer(admin), 'x-request-id': 'req-500-test' },
      });
      expect(r.statusCode).toBe(500);
      expect(r.json().code).toBe('internal_error');
    } finally {
      await t.res.db.query('ALTER TABLE webhooks_gone RENAME TO webhooks');
    }
    await t.res.errors.reporter.flush();
    const group = await until(
      async () =>
        (await api('GET', '/api/admin/errors', admin))
          .json()
          .items.find((g: { message: string }) => g.message.includes('webhooks')),
      10_000,
      'the 500 as an error group',
    );
    expect(group).toMatchObject({ scope: 'instance', type: 'DatabaseError', count: 1 });
    const detail = (await api('GET', `/api/admin/errors/${group.id}`, admin)).json();
    expect(detail.occurrences[0].attributes).toMatchObject({
      'http.route': '/api/projects/:slug/webhooks',
      'orchard.request_id': 'req-500-test',
    });
    expect(detail.group.lastRelease.label).toMatch(/^\d+\.\d+\.\d+/);
    // A 4xx is not an error of Orchard's.
    await api('GET', '/api/projects/nope/webhooks', admin);
    await t.res.errors.reporter.flush();
    const items = (await api('GET', '/api/admin/errors', admin)).json().items;
    expect(items.some((g: { message: string }) => g.message.includes('nope'))).toBe(false);
  });

  it('admins resolve them, audited', async () => {
    const [group] = (await api('GET', '/api/admin/errors', admin)).json().items;
    const r = await api('POST', `/api/admin/errors/${group.id}/status`, admin, { status: 'resolved' });
    expect(r.statusCode).toBe(200);
    expect(
      (await api('POST', `/api/admin/errors/${group.id}/status`, tokens.member, { status: 'open' }))
        .statusCode,
    ).toBe(403);
    const listed = (await api('GET', '/api/admin/errors?status=resolved', admin)).json().items;
    expect(listed.map((g: { id: string }) => g.id)).toContain(group.id);
  });
});

describe('POST /api/errors/browser', () => {
  const report = {
    type: 'TypeError',
    message: "Cannot read properties of undefined (reading 'map')",
    stack:
      "TypeError: Cannot read properties of undefined (reading 'map')\n    at ProjectList (http://localhost:7300/assets/index-DkLz9aQ1.js:40:18211)",
    url: '/projects',
    source: 'react',
    componentStack: '\n    at ProjectList\n    at Layout',
  };

  it('records a signed-in person’s browser error in the instance scope', async () => {
    const r = await api('POST', '/api/errors/browser', tokens.member, report);
    expect(r.statusCode, r.body).toBe(202);
    const detail = (await api('GET', `/api/admin/errors/${r.json().groupId}`, admin)).json();
    expect(detail.group).toMatchObject({ type: 'TypeError', scope: 'instance' });
    expect(detail.occurrences[0].attributes).toMatchObject({
      'orchard.error.source': 'browser.react',
      'url.full': '/projects',
    });
    // The same error from a rebuilt bundle merges.
    const again = await api('POST', '/api/errors/browser', tokens.member, {
      ...report,
      stack: report.stack.replace('DkLz9aQ1.js:40:18211', 'C8mQpL2v.js:41:9'),
    });
    expect(again.json().groupId).toBe(r.json().groupId);
  });

  it('refuses bad reports with a problem naming the field, and writes nothing', async () => {
    const before = await countRows('error_occurrences');
    const cases: Array<[unknown, number, string?]> = [
      [{ ...report, source: 'console' }, 400, 'body.source'],
      [{ ...report, message: undefined }, 400, 'body.message'],
      [{ ...report, extra: 1 }, 400],
      [{ ...report, stack: 'x'.repeat(16_001) }, 400, 'body.stack'],
      [{ ...report, componentStack: 'y'.repeat(40_000) }, 413],
      ['not json', 400],
    ];
    for (const [body, status, field] of cases) {
      const r = await t.http.inject({
        method: 'POST',
        url: '/api/errors/browser',
        headers: { ...bearer(tokens.member), 'content-type': 'application/json' },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
      expect(r.statusCode, r.body).toBe(status);
      expect(r.headers['content-type']).toContain('application/problem+json');
      if (field) expect(r.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(
      (await t.http.inject({ method: 'POST', url: '/api/errors/browser', payload: report })).statusCode,
    ).toBe(401);
    expect(await countRows('error_occurrences')).toBe(before);
  });

  it('limits how many reports one person sends a minute', async () => {
    const someone = (await t.user('member')).token;
    const answers: number[] = [];
    for (let i = 0; i < 32; i++)
      answers.push(
        (await api('POST', '/api/errors/browser', someone, { ...report, message: `m ${i}` })).statusCode,
      );
    expect(answers.filter((s) => s === 202)).toHaveLength(30);
    expect(answers.at(-1)).toBe(429);
  });
});
