import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { commitFiles, createProjectAs, gitOk, localRepo } from '../../../../test/git.ts';
import { ensureRepository } from '../../git/index.ts';
import { createWorkerPool, type WorkerPool, waitForOperation } from '../../operations/index.ts';
import { MAIL_CLIENT_PATH } from '../mail/mail-client.test-support.ts';

/**
 * Integrate opens a merge request from `orchard/service-<id>` whose diff wires the service into the
 * app: for email, lib/mail.js (the client the generated apps use) and a README section.
 */
let t: TestApp;
let token: string;
let workers: WorkerPool;
const slug = 'wired';

const api = (method: 'GET' | 'POST', path: string, payload?: object) =>
  t.http.inject({
    method,
    url: `/api/projects/${slug}${path}`,
    headers: bearer(token),
    ...(payload ? { payload } : {}),
  });

beforeAll(async () => {
  t = await createTestApp();
  token = (await t.user('admin')).token;
  await createProjectAs(t, token, slug);
  const bare = await ensureRepository(t.config.home, slug);
  const work = await localRepo();
  await commitFiles(work, { 'README.md': '# Wired\n\nAn app.\n', 'server.js': 'export {};\n' }, 'initial');
  await gitOk(['push', '-q', bare, 'main:main'], work);
  workers = createWorkerPool({
    res: t.res,
    registry: t.res.registry,
    queues: [],
    concurrency: 1,
    pollMs: 50,
  });
  await workers.start();
});
afterAll(async () => {
  await workers?.stop();
  await t?.close();
});

it('refuses a service that is not attached, or needs no code', async () => {
  const unattached = await api('POST', '/services/email/integrate');
  expect(unattached.statusCode).toBe(409);
  expect(unattached.json().detail).toMatch(/Attach Email .* first/);
  const analytics = await api('POST', '/services/analytics/integrate');
  expect(analytics.statusCode).toBe(409);
  expect(analytics.json().detail).toMatch(/needs no code/);
});

it('opens a merge request whose diff adds lib/mail.js and the README section, once', async () => {
  expect((await api('POST', '/services', { id: 'email' })).statusCode).toBe(201);
  const started = await api('POST', '/services/email/integrate');
  expect(started.statusCode, started.body).toBe(202);
  expect(started.json().branch).toBe('orchard/service-email');
  const op = await waitForOperation(t.res.db, started.json().operationId, {
    timeoutMs: 60_000,
    bus: t.res.bus,
  });
  expect(op.status, JSON.stringify(op.error)).toBe('succeeded');

  const mrs = (await api('GET', '/merge-requests')).json().items;
  expect(mrs).toHaveLength(1);
  expect(mrs[0]).toMatchObject({
    sourceBranch: 'orchard/service-email',
    targetBranch: 'main',
    title: "Use Orchard's email service",
  });
  const compare = await api('GET', `/compare/${encodeURIComponent('main...orchard/service-email')}`);
  expect(compare.statusCode, compare.body).toBe(200);
  const diff = JSON.stringify(compare.json().diff);
  expect(diff).toContain('lib/mail.js');
  expect(diff).toContain('export async function sendMail');
  expect(diff).toContain('## Email');
  const readme = await api('GET', `/blob/${encodeURIComponent('orchard/service-email')}/README.md`);
  expect(readme.body).toContain('# Wired');
  expect(readme.body).toContain("import { sendMail } from './lib/mail.js';");
  const file = await api('GET', `/blob/${encodeURIComponent('orchard/service-email')}/lib/mail.js`);
  // The client the generated apps get, byte for byte.
  expect(file.body).toBe(readFileSync(MAIL_CLIENT_PATH, 'utf8'));

  // Integrating again changes nothing and opens no second merge request.
  const again = await api('POST', '/services/email/integrate');
  const second = await waitForOperation(t.res.db, again.json().operationId, {
    timeoutMs: 60_000,
    bus: t.res.bus,
  });
  expect(second.status).toBe('succeeded');
  expect((await api('GET', '/merge-requests')).json().items).toHaveLength(1);
  const audit = await t.res.db.query(
    "SELECT count(*)::int AS n FROM audit_log WHERE action = 'service.integrate'",
  );
  expect(audit.rows[0].n).toBe(2);
});

it('opens a merge request that adds the sign-in client and how to wire it', async () => {
  expect((await api('POST', '/services', { id: 'signin' })).statusCode).toBe(201);
  const started = await api('POST', '/services/signin/integrate');
  expect(started.statusCode, started.body).toBe(202);
  expect(started.json().branch).toBe('orchard/service-signin');
  const op = await waitForOperation(t.res.db, started.json().operationId, {
    timeoutMs: 60_000,
    bus: t.res.bus,
  });
  expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  const file = await api('GET', `/blob/${encodeURIComponent('orchard/service-signin')}/lib/sign-in.js`);
  expect(file.body).toBe(
    readFileSync(new URL('../../../../templates/services/signin/lib/sign-in.js', import.meta.url), 'utf8'),
  );
  const readme = await api('GET', `/blob/${encodeURIComponent('orchard/service-signin')}/README.md`);
  expect(readme.body).toContain('## Sign-in with Orchard');
  expect(readme.body).toContain("import { createSignIn } from './sign-in.js';");
});
