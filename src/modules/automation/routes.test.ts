import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import { createHttpServer, type HttpApp } from '../../platform/http/server.ts';
import { createAuthenticator } from '../identity/index.ts';
import { defineStep, defineWorkflow, Registry, startOperation } from '../operations/index.ts';
import { findProjectBySlug } from '../projects/index.ts';
import { automationRoutes } from './routes.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
let t: TestApp;
let http: HttpApp;
let owner: string;
let outsider: string;
let key: string;

beforeAll(async () => {
  t = await createTestApp();
  const { config, res } = t;
  // The composition root registers automationRoutes; here it is served on its own.
  http = await createHttpServer({
    logger: res.logger,
    metrics: res.metrics,
    clock: res.clock,
    bodyLimitBytes: config.bodyLimitBytes,
    rateLimit: config.rateLimit,
    trustProxy: false,
    hsts: false,
    authenticate: createAuthenticator(res.db, res.clock),
    readiness: async () => ({ ok: true, checks: {} }),
    routes: [automationRoutes(res)],
  });
  await http.ready();
  const user = await t.user('member');
  owner = user.token;
  outsider = (await t.user('member')).token;
  const slug = (
    await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(owner),
      payload: { name: 'Shots' },
    })
  ).json().slug;
  const project = await findProjectBySlug(res.db, slug);
  const registry = new Registry();
  // Nothing runs it: the operation only has to exist and belong to the project.
  registry.add(
    defineStep('test.noop', { handler: async () => null }),
    defineWorkflow('test.noop', z.object({}), () => [{ key: 'noop', step: 'test.noop' }]),
  );
  const { id } = await startOperation(res.db, registry, {
    kind: 'test.noop',
    input: {},
    projectId: project!.id,
  });
  key = `operations/${id}/verify/attempt-1/01-home.png`;
  await res.blobs.put(key, PNG);
});
afterAll(async () => {
  await http?.close();
  await t?.close();
});

describe('GET /api/artifacts/*', () => {
  it("serves an operation's screenshot inline to a member of its project", async () => {
    const response = await http.inject({
      method: 'GET',
      url: `/api/artifacts/${key}`,
      headers: bearer(owner),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['content-disposition']).toBe('inline; filename="01-home.png"');
    expect(response.rawPayload.equals(PNG)).toBe(true);
  });

  it('refuses anonymous callers and people outside the project', async () => {
    expect((await http.inject({ method: 'GET', url: `/api/artifacts/${key}` })).statusCode).toBe(401);
    const response = await http.inject({
      method: 'GET',
      url: `/api/artifacts/${key}`,
      headers: bearer(outsider),
    });
    expect([403, 404]).toContain(response.statusCode);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
  });

  it('answers 404 for keys outside operations, traversal attempts and missing files', async () => {
    for (const url of [
      '/api/artifacts/pipelines/x/build/app.js',
      `/api/artifacts/${key.replace('01-home', '..%2F..%2F..%2Fsecret')}`,
      `/api/artifacts/${key.replace('01-home', 'nope')}`,
    ]) {
      const response = await http.inject({ method: 'GET', url, headers: bearer(owner) });
      expect(response.statusCode, url).toBe(404);
    }
  });
});
