import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { addMember, createProjectAs } from '../../../../test/git.ts';
import { insertEnvironment } from '../telemetry.test-support.ts';

let t: TestApp;
let owner: string;
let viewer: string;
let developer: string;
let maintainer: string;
const slug = 'alert-api';

const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, token: string, payload?: object) =>
  t.http.inject({ method, url: `/api/projects/${slug}${path}`, headers: bearer(token), payload });

const errorRule = { kind: 'error_rate', name: 'Errors over 5%', windowMinutes: 5, threshold: 5 };

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.user('admin');
  owner = admin.token;
  await createProjectAs(t, owner, slug);
  const projectId = (await t.res.db.query<{ id: string }>('SELECT id FROM projects WHERE slug = $1', [slug]))
    .rows[0]!.id;
  await insertEnvironment(t.res.db, projectId, 'staging');
  await insertEnvironment(t.res.db, projectId, 'preview/feat/x');
  for (const [role, set] of [
    ['viewer', (v: string) => (viewer = v)],
    ['developer', (v: string) => (developer = v)],
    ['maintainer', (v: string) => (maintainer = v)],
  ] as const) {
    const u = await t.user('member');
    await addMember(t, owner, slug, u.user.username, role);
    set(u.token);
  }
});
afterAll(async () => {
  await t?.close();
});

async function auditActions(targetId: string) {
  const { rows } = await t.res.db.query<{ action: string }>(
    'SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id',
    [targetId],
  );
  return rows.map((r) => r.action);
}

describe('alert rules API', () => {
  it('maintainers create rules of each kind (audited); viewers list them with their state', async () => {
    const created = await api('POST', '/environments/staging/alerts', maintainer, errorRule);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      ...errorRule,
      for: 1,
      enabled: true,
      environment: 'staging',
      state: 'ok',
      lastValue: null,
      lastEvaluatedAt: null,
      silencedUntil: null,
    });
    expect(await auditActions(created.json().id)).toEqual(['alert_rule.create']);
    for (const rule of [
      { kind: 'latency_p95', name: 'slow', windowMinutes: 10, threshold: 800, for: 3 },
      { kind: 'log_pattern', name: 'payments', windowMinutes: 15, threshold: 1, pattern: 'payment failed' },
      {
        kind: 'metric_threshold',
        name: 'queue',
        windowMinutes: 1,
        threshold: 100,
        metric: 'queue.depth',
        aggregation: 'max',
        operator: '>',
        attributes: { queue: 'mail' },
      },
    ]) {
      const r = await api('POST', '/environments/staging/alerts', maintainer, rule);
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject(rule);
    }
    // A preview named in the URL by its encoded name.
    const preview = await api(
      'POST',
      `/environments/${encodeURIComponent('preview/feat/x')}/alerts`,
      owner,
      errorRule,
    );
    expect(preview.statusCode, preview.body).toBe(201);
    expect(preview.json().environment).toBe('preview/feat/x');

    const list = await api('GET', '/environments/staging/alerts', viewer);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((r: { name: string }) => r.name)).toEqual([
      'Errors over 5%',
      'payments',
      'queue',
      'slow',
    ]);
    expect(list.json().items.find((r: { kind: string }) => r.kind === 'log_pattern').match).toBe('words');
  });

  it('only maintainers change rules: viewers and developers get 403 and nothing is written', async () => {
    for (const token of [viewer, developer]) {
      const r = await api('POST', '/environments/staging/alerts', token, { ...errorRule, name: 'nope' });
      expect(r.statusCode).toBe(403);
    }
    const names = (await api('GET', '/environments/staging/alerts', viewer))
      .json()
      .items.map((r: { name: string }) => r.name);
    expect(names).not.toContain('nope');
  });

  it('bad input is a 400 that names the field and says what to fix', async () => {
    const cases: Array<[object, string, RegExp]> = [
      [{ ...errorRule, kind: 'cpu' }, 'body.kind', /./],
      [{ ...errorRule, windowMinutes: 0 }, 'body.windowMinutes', /1 to 60 minutes/],
      [{ ...errorRule, windowMinutes: 61 }, 'body.windowMinutes', /1 to 60 minutes/],
      [{ ...errorRule, threshold: 150 }, 'body.threshold', /0 to 100/],
      [{ ...errorRule, name: '  ' }, 'body.name', /name/],
      [{ kind: 'log_pattern', name: 'x', windowMinutes: 5, threshold: 1 }, 'body.pattern', /./],
      [
        { kind: 'log_pattern', name: 'x', windowMinutes: 5, threshold: 1.5, pattern: 'a' },
        'body.threshold',
        /whole number/,
      ],
      [
        {
          kind: 'metric_threshold',
          name: 'x',
          windowMinutes: 5,
          threshold: 1,
          metric: 'm',
          aggregation: 'p99',
          operator: '>',
        },
        'body.aggregation',
        /./,
      ],
    ];
    for (const [body, field, message] of cases) {
      const r = await api('POST', '/environments/staging/alerts', maintainer, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      const issue = r.json().errors.find((e: { field: string }) => e.field === field);
      expect(issue, `${JSON.stringify(body)} → ${r.body}`).toBeDefined();
      expect(issue.message).toMatch(message);
    }
    const missing = await api('POST', '/environments/production/alerts', maintainer, errorRule);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toMatch(/No environment "production"/);
    const duplicate = await api('POST', '/environments/staging/alerts', maintainer, errorRule);
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().detail).toMatch(/already has an alert rule named "Errors over 5%"/);
  });

  it('maintainers replace, silence and delete a rule, each audited; viewers read its history', async () => {
    const created = (
      await api('POST', '/environments/staging/alerts', maintainer, { ...errorRule, name: 'edit me' })
    ).json();
    const replaced = await api('PUT', `/alerts/${created.id}`, maintainer, {
      kind: 'log_pattern',
      name: 'edited',
      windowMinutes: 30,
      threshold: 3,
      pattern: '50%_off',
      match: 'substring',
      enabled: false,
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({
      kind: 'log_pattern',
      name: 'edited',
      enabled: false,
      match: 'substring',
    });
    expect(replaced.json()).not.toHaveProperty('aggregation');
    expect((await api('PUT', `/alerts/${created.id}`, developer, errorRule)).statusCode).toBe(403);

    const until = new Date(Date.now() + 3600_000).toISOString();
    const silenced = await api('POST', `/alerts/${created.id}/silence`, maintainer, { until });
    expect(silenced.statusCode, silenced.body).toBe(200);
    expect(silenced.json().silencedUntil).toBe(until);
    const past = await api('POST', `/alerts/${created.id}/silence`, maintainer, {
      until: new Date(Date.now() - 1000).toISOString(),
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0]).toMatchObject({ field: 'body.until' });
    expect(
      (await api('POST', `/alerts/${created.id}/silence`, maintainer, { until: 'tomorrow' })).statusCode,
    ).toBe(400);
    const lifted = await api('POST', `/alerts/${created.id}/silence`, maintainer, { until: null });
    expect(lifted.json().silencedUntil).toBeNull();

    const history = await api('GET', `/alerts/${created.id}/events`, viewer);
    expect(history.statusCode).toBe(200);
    expect(history.json()).toEqual({ items: [], nextCursor: null });

    expect((await api('DELETE', `/alerts/${created.id}`, developer)).statusCode).toBe(403);
    expect((await api('DELETE', `/alerts/${created.id}`, maintainer)).statusCode).toBe(204);
    expect((await api('DELETE', `/alerts/${created.id}`, maintainer)).statusCode).toBe(404);
    expect((await api('GET', `/alerts/${created.id}/events`, viewer)).statusCode).toBe(404);
    expect((await api('GET', '/alerts/not-a-uuid/events', viewer)).statusCode).toBe(400);
    expect(await auditActions(created.id)).toEqual([
      'alert_rule.create',
      'alert_rule.update',
      'alert_rule.silence',
      'alert_rule.unsilence',
      'alert_rule.delete',
    ]);
  });
});
