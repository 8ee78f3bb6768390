import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import { createProjectAs } from '../../../test/git.ts';
import { ensureEnvironment } from '../../../test/support/deploy-fixture.ts';
import { until } from '../../../test/support/until.ts';
import { findProjectBySlug } from '../projects/index.ts';

/** The catalog, attaching and detaching by role, and the mailbox's reads, clearing and live stream. */
let t: TestApp;
let owner: string;
/** Orchard's own SMTP server (the `smtp` config): where production's mail is relayed when asked. */
let upstream: SMTPServer;
const relayed: string[] = [];
const members: Record<'viewer' | 'developer' | 'maintainer', string> = {
  viewer: '',
  developer: '',
  maintainer: '',
};
const slug = 'svc';

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token = owner, payload?: object) =>
  t.http.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

beforeAll(async () => {
  upstream = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        relayed.push(raw);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  t = await createTestApp({
    'services.smtp.port': 0,
    smtp: {
      host: '127.0.0.1',
      port: (upstream.server.address() as AddressInfo).port,
      from: 'orchard@example.test',
    },
  });
  owner = (await t.user('member')).token;
  await createProjectAs(t, owner, slug);
  for (const role of ['viewer', 'developer', 'maintainer'] as const) {
    const u = await t.user('member');
    members[role] = u.token;
    const res = await t.http.inject({
      method: 'PUT',
      url: `/api/projects/${slug}/members/${u.user.username}`,
      headers: bearer(owner),
      payload: { role },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
  }
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => upstream?.close(() => resolve()));
});

describe('the catalog', () => {
  it('lists every service with its variables; tracing is built in, databases are not offered here', async () => {
    const res = await call('GET', '/api/services', members.viewer);
    expect(res.statusCode, res.body).toBe(200);
    const byId = Object.fromEntries(res.json().items.map((s: { id: string }) => [s.id, s]));
    expect(Object.keys(byId).sort()).toEqual(['analytics', 'database', 'email', 'signin', 'tracing']);
    expect(byId.email.env.map((v: { name: string }) => v.name)).toEqual([
      'SMTP_URL',
      'SMTP_HOST',
      'SMTP_PORT',
      'SMTP_USER',
      'SMTP_PASSWORD',
      'SMTP_SECURE',
      'MAIL_FROM',
    ]);
    expect(byId.tracing).toMatchObject({ builtIn: true, available: true });
    expect(byId.database).toMatchObject({
      available: false,
      unavailableReason: expect.stringMatching(/databases/),
    });
  });
});

describe('attaching and detaching', () => {
  it('is for maintainers: developers are refused, and nothing is attached', async () => {
    const refused = await call('POST', `/api/projects/${slug}/services`, members.developer, { id: 'email' });
    expect(refused.statusCode).toBe(403);
    const listed = await call('GET', `/api/projects/${slug}/services`, members.viewer);
    const attached = listed.json().items.filter((s: { attached: boolean }) => s.attached);
    expect(attached.map((s: { id: string }) => s.id)).toEqual(['tracing']);
  });

  it('attaches, changes settings, and refuses what cannot be attached', async () => {
    const url = `/api/projects/${slug}/services`;
    const first = await call('POST', url, members.maintainer, { id: 'email' });
    expect(first.statusCode, first.body).toBe(201);
    const changed = await call('POST', url, members.maintainer, { id: 'email', relayProduction: true });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ attached: true, relayProduction: true });
    expect((await call('GET', `${url}/email`, members.viewer)).json().relayProduction).toBe(true);

    const tracing = await call('POST', url, members.maintainer, { id: 'tracing' });
    expect(tracing.statusCode).toBe(409);
    expect(tracing.json().detail).toMatch(/part of every environment/);
    const database = await call('POST', url, members.maintainer, { id: 'database' });
    expect(database.statusCode).toBe(409);
    expect(database.json().detail).toMatch(/not available on this Orchard/);
    const misplaced = await call('POST', url, members.maintainer, { id: 'analytics', relayProduction: true });
    expect(misplaced.statusCode).toBe(400);
    const unknown = await call('POST', url, members.maintainer, { id: 'sign-in' });
    expect(unknown.statusCode).toBe(400);

    const audit = await t.res.db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE target_type = 'service' ORDER BY id",
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['service.attach', 'service.update']);
  });

  it('detaches what is attached; built-in and unattached services answer why not', async () => {
    const url = `/api/projects/${slug}/services`;
    expect((await call('POST', url, members.maintainer, { id: 'analytics' })).statusCode).toBe(201);
    expect((await call('DELETE', `${url}/analytics`, members.developer)).statusCode).toBe(403);
    expect((await call('DELETE', `${url}/analytics`, members.maintainer)).statusCode).toBe(204);
    expect((await call('DELETE', `${url}/analytics`, members.maintainer)).statusCode).toBe(404);
    expect((await call('DELETE', `${url}/tracing`, members.maintainer)).statusCode).toBe(409);
  });
});

describe('the mailbox', () => {
  let login: { user: string; pass: string };
  let port: number;

  beforeAll(async () => {
    await t.res.services.listen();
    port = t.res.services.relay.address()!.port;
    const project = (await findProjectBySlug(t.res.db, slug))!;
    const env = await ensureEnvironment(t.res.db, {
      projectId: project.id,
      name: 'production',
      kind: 'production',
      branch: null,
      hostLabel: `production--${slug}`,
      now: new Date(),
    });
    const given = await t.res.services.envFor({
      id: env.id,
      project_id: project.id,
      slug,
      host_label: `production--${slug}`,
    });
    login = { user: given.env.SMTP_USER!, pass: given.env.SMTP_PASSWORD! };
  });

  const send = (subject: string) =>
    nodemailer
      .createTransport({ host: '127.0.0.1', port, ignoreTLS: true, auth: login })
      .sendMail({ from: 'app@svc.test', to: 'ada@example.com', subject, text: `body of ${subject}` });

  it('is read by developers, not viewers; pages newest first', async () => {
    for (const subject of ['one', 'two', 'three']) await send(subject);
    expect((await call('GET', `/api/projects/${slug}/mailbox`, members.viewer)).statusCode).toBe(403);
    const page = await call('GET', `/api/projects/${slug}/mailbox?limit=2`, members.developer);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json().items.map((m: { subject: string }) => m.subject)).toEqual(['three', 'two']);
    const next = await call(
      'GET',
      `/api/projects/${slug}/mailbox?limit=2&cursor=${page.json().nextCursor}&env=production`,
      members.developer,
    );
    expect(next.json()).toMatchObject({
      items: [{ subject: 'one', environment: 'production' }],
      nextCursor: null,
    });
    // The project asked for production's mail to go out: it went through Orchard's SMTP server, as sent.
    const out = await until(async (): Promise<{ relayError: string | null } | undefined> => {
      const res = await call(
        'GET',
        `/api/projects/${slug}/mailbox/${next.json().items[0].id}`,
        members.developer,
      );
      return res.json().relay === 'relayed' ? res.json() : undefined;
    });
    expect(out.relayError).toBeNull();
    expect(relayed.some((raw) => raw.includes('Subject: one') && raw.includes('body of one'))).toBe(true);
    const latest = await call('GET', `/api/projects/${slug}/mailbox/stream`, members.developer);
    expect(latest.json().latest.subject).toBe('three');
  });

  it('streams each new message to an open mailbox', async () => {
    await t.http.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.http.server.address() as { port: number }).port}`;
    const controller = new AbortController();
    const res = await fetch(`${base}/api/projects/${slug}/mailbox/stream`, {
      headers: { ...bearer(members.developer), accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (wanted: string) => {
      const deadline = Date.now() + 10_000;
      while (!text.includes(wanted) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    };
    // Once the stream says it listens, a message kept after that arrives as an event.
    await readUntil('event: ready');
    await send('live one');
    await readUntil('live one');
    controller.abort();
    expect(text).toMatch(/event: mail\n/);
    expect(text).toContain('"subject":"live one"');
  });

  it("never relays a staging app's mail out, whatever the setting", async () => {
    const project = (await findProjectBySlug(t.res.db, slug))!;
    const env = await ensureEnvironment(t.res.db, {
      projectId: project.id,
      name: 'staging',
      kind: 'staging',
      branch: null,
      hostLabel: `staging--${slug}`,
      now: new Date(),
    });
    const given = await t.res.services.envFor({
      id: env.id,
      project_id: project.id,
      slug,
      host_label: env.host_label,
    });
    await nodemailer
      .createTransport({
        host: '127.0.0.1',
        port,
        ignoreTLS: true,
        auth: { user: given.env.SMTP_USER!, pass: given.env.SMTP_PASSWORD! },
      })
      .sendMail({ from: 'app@svc.test', to: 'ada@example.com', subject: 'from staging', text: 'x' });
    const page = await call('GET', `/api/projects/${slug}/mailbox?env=staging`, members.developer);
    expect(page.json().items).toMatchObject([{ subject: 'from staging', relay: 'kept' }]);
    // The production messages sent before it were relayed; this one is not, then or later.
    await until(() => relayed.length >= 4);
    expect(relayed.some((raw) => raw.includes('from staging'))).toBe(false);
  });

  it('is cleared by developers, audited', async () => {
    const cleared = await call('DELETE', `/api/projects/${slug}/mailbox?env=production`, members.developer);
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json().deleted).toBe(4);
    const left = (await call('GET', `/api/projects/${slug}/mailbox`, members.developer)).json().items;
    expect(left.map((m: { environment: string }) => m.environment)).toEqual(['staging']);
    const audit = await t.res.db.query("SELECT data FROM audit_log WHERE action = 'mailbox.clear'");
    expect(audit.rows[0].data).toMatchObject({ environment: 'production', deleted: 4 });
  });
});
