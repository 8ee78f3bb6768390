import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from './app.ts';

/**
 * Input PostgreSQL cannot take (NUL, lone surrogates, integers past its column types) and cursors
 * this server never issued are refused at the HTTP boundary with a 400 that names the field —
 * never a 500, never a partial write. The fuzz test (fuzz-routes.test.ts) covers every route; these
 * are the cases it first found, written out so each reads as a sentence.
 */
let t: TestApp;
let h: { authorization: string };
let slug: string;
let blueprintId: string;
let conversationId: string;

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.tokenPerMinute': 100_000, 'rateLimit.ipPerMinute': 100_000 });
  h = bearer((await t.user('admin')).token);
  slug = (await api('POST', '/api/projects', { name: 'Bad input' })).json().slug;
  blueprintId = (await api('POST', `/api/projects/${slug}/blueprints`, { title: 'B' })).json().id;
  conversationId = (await api('POST', '/api/conversations', { title: 'C' })).json().id;
});
afterAll(async () => t?.close());

function api(method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) {
  return t.http.inject({
    method,
    url,
    headers: h,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function count(table: string) {
  return Number((await t.res.db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
}

/** A 400 problem whose `errors` name `field` with a message matching `message`. */
function expectRefused(res: Awaited<ReturnType<typeof api>>, field: string, message: RegExp) {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const errors = res.json().errors as Array<{ field: string; message: string }>;
  expect(errors ?? [], res.body).toContainEqual({ field, message: expect.stringMatching(message) });
}

describe('text PostgreSQL cannot store', () => {
  it('refuses a NUL character in a text field, naming the field, and writes nothing', async () => {
    const before = await count('projects');
    expectRefused(await api('POST', '/api/projects', { name: 'a\u0000b' }), 'body.name', /NUL/);
    expectRefused(
      await api('POST', `/api/projects/${slug}/issues`, { title: 'x', body: 'tail\u0000' }),
      'body.body',
      /NUL/,
    );
    expect(await count('projects')).toBe(before);
    expect(await count('issues')).toBe(0);
  });

  it('refuses lone surrogates instead of storing U+FFFD in their place', async () => {
    expectRefused(
      await api('POST', `/api/projects/${slug}/issues`, { title: 'x\uD800' }),
      'body.title',
      /surrogate/,
    );
    expectRefused(
      await api('POST', `/api/projects/${slug}/issues`, { title: 'ok', labels: ['\uDC00y'] }),
      'body.labels.0',
      /surrogate/,
    );
    expect(await count('issues')).toBe(0);
  });

  it('refuses NUL and lone surrogates deep inside JSON stored as jsonb, in values and in keys', async () => {
    const messages = `/api/conversations/${conversationId}/messages`;
    expectRefused(
      await api('POST', messages, { role: 'user', content: 'hi', data: { tool: { args: ['a\u0000'] } } }),
      'body.data.tool.args.0',
      /NUL/,
    );
    expectRefused(
      await api('POST', messages, { role: 'user', content: 'hi', data: { 'k\uD83D': 1 } }),
      'body.data',
      /key.*surrogate/,
    );
    expectRefused(
      await api('POST', '/api/operations', { kind: 'system.canary', input: { note: '\uDFFF' } }),
      'body.input.note',
      /surrogate/,
    );
    expectRefused(
      await api('PATCH', `/api/blueprints/${blueprintId}`, [
        { op: 'replace', path: '/feature', value: 'Shop\u0000' },
      ]),
      'body.0.value',
      /NUL/,
    );
    expect(await count('conversation_messages')).toBe(0);
  });

  it('refuses JSON nested deeper than any route takes, before walking or storing it', async () => {
    // Written as text: the test's own JSON.stringify would overflow the stack first.
    const depth = 100_000;
    const res = await t.http.inject({
      method: 'POST',
      url: `/api/conversations/${conversationId}/messages`,
      headers: { ...h, 'content-type': 'application/json' },
      payload: `{"role":"user","content":"hi","data":{"deep":${'['.repeat(depth)}1${']'.repeat(depth)}}}`,
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().detail).toMatch(/nested/);
  });

  it('refuses %00 in a project slug and in a query string', async () => {
    expectRefused(await api('GET', '/api/projects/a%00b'), 'params.slug', /NUL/);
    expectRefused(await api('GET', '/api/projects/a%00b/issues'), 'params.slug', /NUL/);
    expectRefused(await api('GET', '/api/operations?project=a%00b'), 'querystring.project', /NUL/);
  });
});

describe('numbers past the column types', () => {
  it('refuses issue, merge request and pipeline numbers past 2^31-1 in the path', async () => {
    for (const path of ['issues', 'merge-requests', 'pipelines']) {
      expectRefused(
        await api('GET', `/api/projects/${slug}/${path}/99999999999`),
        path === 'pipelines' ? 'params.id' : 'params.number',
        /2147483647/,
      );
    }
    expectRefused(
      await api('POST', `/api/projects/${slug}/issues/2147483648/comments`, { body: 'x' }),
      'params.number',
      /2147483647/,
    );
    // The largest int4 is a number like any other: not found.
    expect((await api('GET', `/api/projects/${slug}/issues/2147483647`)).statusCode).toBe(404);
  });

  it('refuses pipeline ids that are neither a number nor a UUID', async () => {
    expectRefused(
      await api('GET', `/api/projects/${slug}/pipelines/${'-'.repeat(36)}`),
      'params.id',
      /pipeline number.*or id/,
    );
  });

  it('refuses Blueprint versions and log offsets past 2^31-1', async () => {
    expectRefused(
      await api('GET', `/api/blueprints/${blueprintId}/snapshots/99999999999`),
      'params.version',
      /2147483647/,
    );
    expectRefused(
      await api('GET', `/api/blueprints/${blueprintId}/diff?from=1&to=99999999999`),
      'querystring.to',
      /2147483647/,
    );
    expectRefused(
      await api('GET', `/api/blueprints/${blueprintId}/snapshots?afterVersion=3000000000`),
      'querystring.afterVersion',
      /2147483647/,
    );
  });
});

describe('cursors', () => {
  const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('refuses a cursor whose values are not what this server puts in one', async () => {
    for (const [url, bad] of [
      ['/api/projects', ['not a time', 'not an id']],
      ['/api/operations', ['2024-01-01T00:00:00.000Z', 'nope']],
      [`/api/projects/${slug}/issues`, [99999999999]],
      [`/api/projects/${slug}/pipelines`, ['x']],
      ['/api/audit', [1e300]],
      [`/api/blueprints/${blueprintId}/snapshots`, [{}]],
    ] as const) {
      expectRefused(await api('GET', `${url}?cursor=${cursor(bad)}`), 'querystring.cursor', /cursor/);
    }
  });
});

describe('prompts', () => {
  it('starts a build for a prompt full of JavaScript words (class, constructor, prototype)', async () => {
    const res = await api('POST', '/api/prompts', {
      prompt: 'Track my classes, constructors and prototypes for a JavaScript course',
    });
    expect(res.statusCode, res.body).toBe(202);
    const blueprint = (await api('GET', `/api/blueprints/${res.json().blueprintId}`)).json();
    const entities = blueprint.blueprint.sections.dataModel.entities as Array<{ name: string }>;
    expect(entities.map((e) => e.name)).toEqual(['Course', 'Class', 'Constructor', 'Prototype']);
  });
});
