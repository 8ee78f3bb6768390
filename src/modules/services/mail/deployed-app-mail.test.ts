import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../../../test/app.ts';
import { createProjectAs } from '../../../../test/git.ts';
import {
  appRequest,
  type DeployFixture,
  deployFixture,
  ensureEnvironment,
} from '../../../../test/support/deploy-fixture.ts';
import { until } from '../../../../test/support/until.ts';
import { createWorkerPool, type WorkerPool, waitForOperation } from '../../operations/index.ts';
import { findProjectBySlug } from '../../projects/index.ts';
import { MAIL_TEST_APP } from './mail-test-app.test-support.ts';

/**
 * The email service end to end: attached to a project, a deployed app (sandboxed, on a private
 * network, so it reaches the relay only through the socket relay in its sandbox) sends through the
 * SMTP credentials Orchard injected, and the message shows in the project's mailbox. Wrong
 * credentials, another project's credentials and detached ones are refused or kept apart.
 */
let f: DeployFixture;
let workers: WorkerPool;
let host: string;
let relayPort: number;

const api = (method: 'GET' | 'POST' | 'DELETE', path: string, payload?: object, token = f.token) =>
  f.t.http.inject({ method, url: path, headers: bearer(token), ...(payload ? { payload } : {}) });

beforeAll(async () => {
  f = await deployFixture({ 'services.smtp.port': 0 });
  await f.t.res.services.listen();
  relayPort = f.t.res.services.relay.address()!.port;
  workers = createWorkerPool({
    res: f.t.res,
    registry: f.t.res.registry,
    queues: [],
    concurrency: 2,
    pollMs: 50,
  });
  await workers.start();
  host = `staging--${f.slug}.localhost:${f.port}`;
}, 60_000);
afterAll(async () => {
  await workers?.stop();
  await f?.close();
});

describe('a deployed app with the email service', () => {
  it('is offered the service, and gets it once attached: its mail lands in the mailbox', async () => {
    const catalog = await api('GET', '/api/services');
    expect(catalog.statusCode, catalog.body).toBe(200);
    expect(catalog.json().items.find((s: { id: string }) => s.id === 'email')).toMatchObject({
      available: true,
    });

    const attached = await api('POST', `/api/projects/${f.slug}/services`, { id: 'email' });
    expect(attached.statusCode, attached.body).toBe(201);
    expect(attached.json()).toMatchObject({ id: 'email', attached: true, relayProduction: false });

    await f.push('mail', { extra: MAIL_TEST_APP });
    const started = await api('POST', `/api/projects/${f.slug}/deploy`, { env: 'staging', ref: 'main' });
    expect(started.statusCode, started.body).toBe(202);
    const op = await waitForOperation(f.t.res.db, started.json().operationId, {
      timeoutMs: 90_000,
      bus: f.t.res.bus,
    });
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');

    // The app runs in a private network: SMTP_HOST is its own loopback, where the sandbox's relay listens.
    const env = JSON.parse((await appRequest(f.port, host, '/env')).body);
    expect(env).toMatchObject({ host: '127.0.0.1', port: String(relayPort), hasPassword: true });
    expect(env.user).toMatch(/^staging--shop\.[0-9a-f]{8}$/);
    expect(env.from).toBe('no-reply@staging--shop.localhost');
    // …where nothing else of this machine is: Orchard's own port is not reachable from there.
    expect((await appRequest(f.port, host, `/reach?port=${f.port}`)).body).toBe('ECONNREFUSED');
    expect((await appRequest(f.port, host, `/reach?port=${relayPort}`)).body).toBe('reached');

    const sent = await appRequest(f.port, host, '/send?to=ada%40example.com&subject=Welcome%20Ada');
    expect(sent.status, sent.body).toBe(200);
    expect(JSON.parse(sent.body).accepted).toEqual(['ada@example.com']);

    const listed = await api('GET', `/api/projects/${f.slug}/mailbox`);
    expect(listed.statusCode, listed.body).toBe(200);
    const [summary] = listed.json().items;
    expect(summary).toMatchObject({
      environment: 'staging',
      from: 'no-reply@staging--shop.localhost',
      to: ['ada@example.com'],
      subject: 'Welcome Ada',
      hasHtml: true,
      preview: 'Hello from the app',
      relay: 'kept',
    });
    const message = await api('GET', `/api/projects/${f.slug}/mailbox/${summary.id}`);
    expect(message.statusCode, message.body).toBe(200);
    expect(message.json()).toMatchObject({ text: 'Hello from the app', headerTo: 'ada@example.com' });
    expect(message.json().html).toContain('<b>from</b>');

    // The password (the same at every start) is never in the app's log.
    const { rows } = await f.t.res.db.query<{ id: string }>(
      "SELECT id FROM environments WHERE project_id = $1 AND name = 'staging'",
      [f.project.id],
    );
    const given = await f.t.res.services.envFor({
      id: rows[0]!.id,
      project_id: f.project.id,
      slug: f.slug,
      host_label: 'staging--shop',
    });
    expect(given.env.SMTP_USER).toBe(env.user);
    await appRequest(f.port, host, '/send?to=x%40example.com&password=wrong');
    const log = await api('GET', `/api/projects/${f.slug}/environments/staging/logs?tail=500`);
    expect(log.statusCode).toBe(200);
    expect(log.body).not.toContain(given.env.SMTP_PASSWORD!);
  }, 120_000);

  it('refuses a wrong password at the relay (535), and stores nothing', async () => {
    const before = (await api('GET', `/api/projects/${f.slug}/mailbox`)).json().items.length;
    const refused = await appRequest(f.port, host, '/send?to=ada%40example.com&subject=Nope&password=wrong');
    expect(refused.status).toBe(502);
    expect(refused.body).toMatch(/^SMTP AUTH: 535 /);
    // Without logging in, MAIL FROM is refused too.
    const anonymous = nodemailer.createTransport({ host: '127.0.0.1', port: relayPort, ignoreTLS: true });
    await expect(
      anonymous.sendMail({ from: 'x@example.com', to: 'ada@example.com', subject: 'anon', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 530 });
    expect((await api('GET', `/api/projects/${f.slug}/mailbox`)).json().items.length).toBe(before);
  });

  it("keeps another project's mail in that project's mailbox, out of reach of this one's members", async () => {
    const other = await f.t.user('member');
    await createProjectAs(f.t, other.token, 'other');
    const project = (await findProjectBySlug(f.t.res.db, 'other'))!;
    const attach = await api('POST', '/api/projects/other/services', { id: 'email' }, other.token);
    expect(attach.statusCode, attach.body).toBe(201);
    const env = await ensureEnvironment(f.t.res.db, {
      projectId: project.id,
      name: 'staging',
      kind: 'staging',
      branch: null,
      hostLabel: 'staging--other',
      now: new Date(),
    });
    const given = await f.t.res.services.envFor({
      id: env.id,
      project_id: project.id,
      slug: 'other',
      host_label: 'staging--other',
    });
    // The other project's login sends as whatever it likes; the message is still the other project's.
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: relayPort,
      ignoreTLS: true,
      auth: { user: given.env.SMTP_USER!, pass: given.env.SMTP_PASSWORD! },
    });
    await transport.sendMail({
      from: 'no-reply@staging--shop.localhost',
      to: 'ada@example.com',
      subject: 'Pretending to be shop',
      text: 'x',
    });
    const theirs = await api('GET', '/api/projects/other/mailbox', undefined, other.token);
    expect(theirs.json().items.map((m: { subject: string }) => m.subject)).toEqual(['Pretending to be shop']);
    const ours = await api('GET', `/api/projects/${f.slug}/mailbox`);
    expect(ours.json().items.map((m: { subject: string }) => m.subject)).not.toContain(
      'Pretending to be shop',
    );
    // …and the other project's member cannot read this one's mailbox, nor open its messages.
    const id = ours.json().items[0].id;
    for (const path of [`/api/projects/${f.slug}/mailbox`, `/api/projects/${f.slug}/mailbox/${id}`]) {
      const res = await api('GET', path, undefined, other.token);
      expect(res.statusCode, path).toBe(403);
    }
    // Nor can this project's URL reach the other's message.
    const theirId = theirs.json().items[0].id;
    expect((await api('GET', `/api/projects/${f.slug}/mailbox/${theirId}`)).statusCode).toBe(404);
  });

  it('ends the logins when the service is detached', async () => {
    const detached = await api('DELETE', `/api/projects/${f.slug}/services/email`);
    expect(detached.statusCode, detached.body).toBe(204);
    const refused = await until(async () => {
      const res = await appRequest(f.port, host, '/send?to=ada%40example.com&subject=After');
      return res.status === 502 ? res : undefined;
    }, 5_000);
    expect(refused.body).toMatch(/535/);
    const audit = await f.t.res.db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE action LIKE 'service.%' ORDER BY id",
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['service.attach', 'service.attach', 'service.detach']);
  });
});
