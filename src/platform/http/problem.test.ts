import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import { toProblem } from './problem.ts';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp({
    bodyLimitBytes: 2048,
    'rateLimit.ipPerMinute': 5,
    'rateLimit.tokenPerMinute': 1000,
  });
  token = (await t.user('member')).token;
});
afterAll(async () => t?.close());

describe('errors as RFC 9457 problems', () => {
  it('says the disk is full (507) for PostgreSQL disk_full, ENOSPC and git running out of room', () => {
    const request = { id: 'r1', url: '/api/x' } as FastifyRequest;
    const causes = [
      Object.assign(new Error('could not extend file "base/1/2": No space left on device'), {
        code: '53100',
        severity: 'ERROR',
      }),
      Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }),
      new Error("git init failed (exit 128): fatal: cannot copy 'description': No space left on device"),
    ];
    for (const cause of causes)
      expect(toProblem(cause, request)).toMatchObject({
        status: 507,
        code: 'storage_full',
        title: 'Insufficient Storage',
        detail: expect.stringMatching(/disk is full, so nothing was saved/),
      });
    expect(toProblem(new Error('something else'), request).status).toBe(500);
  });

  it('names the bad field in a 400, and writes nothing', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(token),
      payload: { name: 42, description: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const body = res.json();
    expect(body).toMatchObject({
      status: 400,
      code: 'validation_failed',
      title: 'Bad Request',
      instance: '/api/projects',
    });
    expect(body.errors).toEqual([{ field: 'body.name', message: expect.any(String) }]);
    expect(body.requestId).toBe(res.headers['x-request-id']);
    const { rows } = await t.res.db.query('SELECT count(*)::int AS n FROM projects');
    expect(rows[0].n).toBe(0);
  });

  it('answers malformed JSON, a wrong media type and an oversized body with 4xx problems', async () => {
    const malformed = await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('invalid_json');
    const media = await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { ...bearer(token), 'content-type': 'text/xml' },
      payload: '<x/>',
    });
    expect(media.statusCode).toBe(415);
    const big = await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(token),
      payload: { name: 'x', description: 'y'.repeat(5000) },
    });
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toContain('problem+json');
  });

  it('answers a URL the router cannot decode and an over-long path segment with problems', async () => {
    for (const url of ['/api/projects/%FF', '/api/projects/%zz/issues', '/api/projects/a%ED%A0%80']) {
      const res = await t.http.inject({ url, headers: bearer(token) });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type'], url).toContain('application/problem+json');
      expect(res.json(), url).toMatchObject({ code: 'bad_url', requestId: res.headers['x-request-id'] });
    }
    const long = await t.http.inject({ url: `/api/projects/${'x'.repeat(501)}`, headers: bearer(token) });
    expect(long.statusCode).toBe(414);
    expect(long.headers['content-type']).toContain('application/problem+json');
    expect(long.json().code).toBe('uri_too_long');
  });

  it('maps a value PostgreSQL refuses to a 400, should one ever get past validation', async () => {
    const request = { url: '/api/x?y=1', id: 'req-1' } as FastifyRequest;
    for (const [sql, detail] of [
      ['SELECT 99999999999::int', /out of range/],
      ["SELECT 'a' || chr(0)", /cannot be stored/],
      ["SELECT 'nope'::uuid", /not in a form/],
    ] as const) {
      const error = await t.res.db.query(sql).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, sql).toBeDefined();
      expect(toProblem(error, request), sql).toMatchObject({ status: 400, code: 'invalid_input', detail });
    }
    expect(toProblem(new Error('boom'), request)).toMatchObject({ status: 500, code: 'internal_error' });
  });

  it('answers an unknown API route with a 404 problem and echoes a given request id', async () => {
    const res = await t.http.inject({
      url: '/api/nope',
      headers: { ...bearer(token), 'x-request-id': 'trace-abc.1' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found', requestId: 'trace-abc.1' });
    expect(res.headers['x-request-id']).toBe('trace-abc.1');
    expect(t.logs.some((l) => l.includes('"requestId":"trace-abc.1"'))).toBe(true);
  });

  it('makes a new request id when the given one is unsafe', async () => {
    const res = await t.http.inject({ url: '/health', headers: { 'x-request-id': 'bad id\nwith newline' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers', async () => {
    const res = await t.http.inject({ url: '/health' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toBeUndefined(); // no TLS configured
  });

  it('rate-limits per IP with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof t.http.inject>> | undefined;
    for (let i = 0; i < 8; i++) {
      last = await t.http.inject({ url: '/api/setup', remoteAddress: '10.9.9.9' });
      statuses.push(last.statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(last!.json().code).toBe('rate_limited');
    // Another client is unaffected.
    expect((await t.http.inject({ url: '/api/setup', remoteAddress: '10.9.9.10' })).statusCode).toBe(200);
  });
});

describe('per-token rate limit', () => {
  it('limits a token independently of its IP', async () => {
    const t2 = await createTestApp({ 'rateLimit.tokenPerMinute': 3 });
    try {
      const { token: tk } = await t2.user('member');
      const codes = [];
      for (let i = 0; i < 5; i++)
        codes.push((await t2.http.inject({ url: '/api/projects', headers: bearer(tk) })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      const other = (await t2.user('member')).token;
      expect((await t2.http.inject({ url: '/api/projects', headers: bearer(other) })).statusCode).toBe(200);
    } finally {
      await t2.close();
    }
  });
});

describe('health, readiness and metrics', () => {
  it('serves them without authentication', async () => {
    expect((await t.http.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await t.http.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toMatchObject({ database: { ok: true }, migrations: { ok: true } });
    await t.http.inject({ url: '/api/projects', headers: bearer(token) });
    const metrics = (await t.http.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/projects",status="200"\} \d+/,
    );
    expect(metrics).toContain('process_cpu_user_seconds_total');
  });

  it('publishes the OpenAPI document and a docs page', async () => {
    const doc = (await t.http.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(
      doc.paths['/api/projects'].post.requestBody.content['application/json'].schema.properties.name,
    ).toBeDefined();
    const page = await t.http.inject({ url: '/api/docs' });
    expect([200, 302]).toContain(page.statusCode);
  });
});
