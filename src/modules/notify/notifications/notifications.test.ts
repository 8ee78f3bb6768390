import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { addMember, createProjectAs, listenApp, startWorkers } from '../../../../test/git.ts';
import { until } from '../../../../test/support/until.ts';
import { readSse } from '../../../platform/http/sse-reader.ts';
import { NonRetryableError } from '../../operations/index.ts';
import { reportCheck } from '../../reviews/index.ts';
import { deliverEmailOnce, EMAIL_ATTEMPTS } from '../email/deliver-email.ts';
import { type startSmtpSink as StartSink, startSmtpSink } from '../email/smtp-sink.test-support.ts';
import { findNotification, insertNotification } from './notification-store.ts';
import { notify } from './notify.ts';
import { notificationsOnReviewEvent } from './on-review-event.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof StartSink>>;
let workers: Awaited<ReturnType<typeof startWorkers>>;
let base: string;
let alice: Awaited<ReturnType<TestApp['user']>>;
let bob: Awaited<ReturnType<TestApp['user']>>;
let carol: Awaited<ReturnType<TestApp['user']>>;
let projectId: string;
const slug = 'notes';
const PUBLIC = 'http://orchard.example.test';

const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, payload?: object) =>
  t.http.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

const pendingEmail = async (dedupeKey: string, title: string) =>
  (await insertNotification(t.res.db, {
    recipientId: alice.user.id,
    kind: 'budget_reached',
    projectId: null,
    actorId: null,
    title,
    body: '',
    link: null,
    dedupeKey,
    inApp: true,
    email: true,
    at: new Date(),
  }))!;

const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await createTestApp({
    publicUrl: PUBLIC,
    'smtp.host': '127.0.0.1',
    'smtp.port': smtp.port,
    'smtp.from': 'Orchard <orchard@example.test>',
  });
  base = await listenApp(t);
  workers = await startWorkers(t);
  alice = await t.user('member');
  bob = await t.user('member');
  carol = await t.user('member');
  await createProjectAs(t, alice.token, slug);
  await addMember(t, alice.token, slug, bob.user.username, 'developer');
  projectId = (await api('GET', `/api/projects/${slug}`, alice.token)).json().id;
}, 60_000);
afterAll(async () => {
  await workers?.stop();
  await t?.close();
  await smtp?.close();
});

describe('notify', () => {
  it('emails the recipient over SMTP once, with the title, body and a link to Orchard', async () => {
    const input = {
      kind: 'build_failed' as const,
      projectId,
      recipients: [bob.user.id],
      title: 'Build of Photos failed',
      body: 'The test step failed: 2 tests.',
      link: `/projects/${slug}/pipelines`,
      dedupeKey: 'build:1:failed',
    };
    const [first] = await notify(t.res, undefined, input);
    expect(first).toMatchObject({ recipient_id: bob.user.id, email_status: 'pending', in_app: true });
    // Called again, and twice at once: nothing more is stored or sent.
    expect(await notify(t.res, undefined, input)).toEqual([]);
    const again = await Promise.all([notify(t.res, undefined, input), notify(t.res, undefined, input)]);
    expect(again.flat()).toEqual([]);

    const sent = await until(
      async () => (await findNotification(t.res.db, first!.id))?.email_status === 'sent',
      30_000,
      'the email to be sent',
    );
    expect(sent).toBe(true);
    const mails = mailsTo(bob.user.email);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.from).toBe('orchard@example.test');
    expect(mail.raw).toMatch(/^Subject: Build of Photos failed\r?$/m);
    expect(mail.raw).toContain(`<notification-${first!.id}@orchard.example.test>`);
    expect(mail.raw).toMatch(new RegExp(`^To: ${bob.user.email}\\r?$`, 'm'));
    expect(mail.raw).toMatch(/^X-Orchard-Notification: build_failed\r?$/m);
    expect(mail.raw).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(mail.decoded).toContain('The test step failed: 2 tests.');
    expect(mail.decoded).toContain(`Open in Orchard: ${PUBLIC}/projects/${slug}/pipelines`);
    expect(mail.decoded).toContain(`<a href="${PUBLIC}/projects/${slug}/pipelines">Open in Orchard</a>`);

    // A retry of the step after success sends nothing.
    expect(await deliverEmailOnce(t.res, { notificationId: first!.id, attempt: 2 })).toEqual({
      status: 'already-sent',
    });
    expect(mailsTo(bob.user.email)).toHaveLength(1);
  });

  it('follows each person’s preferences and skips who caused the event', async () => {
    const put = await api('PUT', '/api/me/notifications/preferences', carol.token, {
      items: [
        { kind: 'deploy_finished', inApp: false, email: false },
        { kind: 'alert_fired', inApp: true, email: false },
      ],
    });
    expect(put.statusCode).toBe(200);
    const prefs = put.json().items as Array<{ kind: string; inApp: boolean; email: boolean }>;
    expect(prefs.find((p) => p.kind === 'alert_fired')).toMatchObject({ inApp: true, email: false });
    // Defaults stay for the kinds not named: email on for mentions, off for merge requests opened.
    expect(prefs.find((p) => p.kind === 'comment_mention')).toMatchObject({ inApp: true, email: true });
    expect(prefs.find((p) => p.kind === 'merge_request_opened')).toMatchObject({ inApp: true, email: false });
    expect(put.json().emailConfigured).toBe(true);

    const deploy = await notify(t.res, undefined, {
      kind: 'deploy_finished',
      recipients: [carol.user.id, bob.user.id],
      title: 'Deployed',
      dedupeKey: 'deploy:1',
    });
    expect(deploy.map((n) => n.recipient_id)).toEqual([bob.user.id]);
    expect(deploy[0]!.email_status).toBe('none');
    const alert = await notify(t.res, undefined, {
      kind: 'alert_fired',
      actorId: bob.user.id,
      recipients: [carol.user.id, bob.user.id],
      title: 'Alert: errors',
      dedupeKey: 'alert:1',
    });
    expect(alert.map((n) => [n.recipient_id, n.email_status])).toEqual([[carol.user.id, 'none']]);
    // A project rule: members with at least developer (carol is not a member).
    const members = await notify(t.res, undefined, {
      kind: 'alert_resolved',
      projectId,
      recipients: { projectMembers: { projectId, minRole: 'developer' } },
      title: 'Resolved',
      dedupeKey: 'alert:1:resolved',
    });
    expect(members.map((n) => n.recipient_id).sort()).toEqual([alice.user.id, bob.user.id].sort());
  });

  it('fails a permanent SMTP rejection at once and retries a transient one', async () => {
    // Stored without its operation: the attempts are driven here, one by one.
    const n = await pendingEmail('budget:permanent', 'Budget reached');
    smtp.rejectNext.push({ code: 550, message: 'mailbox unavailable' });
    const permanent = await deliverEmailOnce(t.res, { notificationId: n!.id, attempt: 1 }).catch((e) => e);
    expect(permanent).toBeInstanceOf(NonRetryableError);
    expect(String(permanent.message)).toContain('550');
    expect(await findNotification(t.res.db, n!.id)).toMatchObject({ email_status: 'failed' });

    const m = await pendingEmail('budget:transient', 'Budget reached again');
    smtp.rejectNext.push({ code: 451, message: 'try again later' });
    const transient = await deliverEmailOnce(t.res, { notificationId: m!.id, attempt: 1 }).catch((e) => e);
    expect(transient).toBeInstanceOf(Error);
    expect(transient).not.toBeInstanceOf(NonRetryableError);
    expect(await findNotification(t.res.db, m!.id)).toMatchObject({ email_status: 'pending' });
    smtp.rejectNext.push({ code: 451, message: 'still busy' });
    await deliverEmailOnce(t.res, { notificationId: m!.id, attempt: EMAIL_ATTEMPTS }).catch(() => undefined);
    expect(await findNotification(t.res.db, m!.id)).toMatchObject({ email_status: 'failed' });
  });

  it('retries a transient rejection through the engine until the email goes out', async () => {
    const before = mailsTo(alice.user.email).length;
    smtp.rejectNext.push({ code: 421, message: 'service not available' });
    const [n] = await notify(t.res, undefined, {
      kind: 'pipeline_failed',
      recipients: [alice.user.id],
      title: 'Pipeline #9 failed',
      dedupeKey: 'pipeline:engine-retry',
    });
    await until(
      async () => (await findNotification(t.res.db, n!.id))?.email_status === 'sent',
      45_000,
      'the retried email',
    );
    expect(mailsTo(alice.user.email).length).toBe(before + 1);
    const { rows } = await t.res.db.query<{ attempt: number }>(
      'SELECT attempt FROM steps WHERE operation_id = $1',
      [n!.email_operation_id],
    );
    expect(rows.map((r) => r.attempt)).toEqual([2]);
  }, 60_000);
});

describe('inbox API', () => {
  it('lists one’s own notifications with the unread count, marks them read, pages with a cursor', async () => {
    for (const i of [1, 2, 3])
      await notify(t.res, undefined, {
        kind: 'agent_needs_input',
        recipients: [carol.user.id],
        title: `Agent asks ${i}`,
        link: `/agent-sessions/${i}`,
        dedupeKey: `agent:${i}`,
      });
    const first = (await api('GET', '/api/me/notifications?limit=2', carol.token)).json();
    expect(first.items.map((n: { title: string }) => n.title)).toEqual(['Agent asks 3', 'Agent asks 2']);
    const unread = first.unreadCount as number;
    expect(unread).toBeGreaterThanOrEqual(3);
    const second = (
      await api('GET', `/api/me/notifications?limit=2&cursor=${first.nextCursor}`, carol.token)
    ).json();
    expect(second.items[0].title).toBe('Agent asks 1');

    // Someone else's notification is not there for them: not listed, not markable.
    const bobs = (await api('GET', '/api/me/notifications', bob.token)).json();
    expect(bobs.items.some((n: { title: string }) => n.title.startsWith('Agent asks'))).toBe(false);
    const foreign = await api('POST', `/api/me/notifications/${first.items[0].id}/read`, bob.token);
    expect(foreign.statusCode).toBe(404);

    const read = await api('POST', `/api/me/notifications/${first.items[0].id}/read`, carol.token);
    expect(read.json()).toEqual({ unreadCount: unread - 1 });
    const onlyUnread = (await api('GET', '/api/me/notifications?unread=true', carol.token)).json();
    expect(onlyUnread.items.some((n: { id: string }) => n.id === first.items[0].id)).toBe(false);
    expect((await api('POST', '/api/me/notifications/read-all', carol.token)).json()).toEqual({
      unreadCount: 0,
    });
    expect((await api('GET', '/api/me/notifications', carol.token)).json().unreadCount).toBe(0);
    expect((await api('GET', '/api/me/notifications?cursor=nope', carol.token)).statusCode).toBe(400);
  });

  it('streams the unread count live', async () => {
    const response = await fetch(`${base}/api/me/notifications/stream`, {
      headers: { ...bearer(bob.token), accept: 'text/event-stream' },
    });
    expect(response.status).toBe(200);
    const events = readSse(response.body!);
    const opening = JSON.parse((await events.next()).value!.data);
    await notify(t.res, undefined, {
      kind: 'review_requested',
      recipients: [bob.user.id],
      title: 'Review !7',
      dedupeKey: 'stream:1',
    });
    const next = JSON.parse((await events.next()).value!.data);
    expect(next.unreadCount).toBe(opening.unreadCount + 1);
    expect(next.latest.title).toBe('Review !7');
    await events.return(undefined);
    // Asked without `Accept: text/event-stream`, it answers what the first event carries, once.
    const once = await api('GET', '/api/me/notifications/stream', bob.token);
    expect(once.statusCode).toBe(200);
    expect(once.json()).toMatchObject({ unreadCount: next.unreadCount, latest: { title: 'Review !7' } });
  });
});

describe('sources', () => {
  it('tells the people mentioned in a comment who can see the project', async () => {
    await api('POST', `/api/projects/${slug}/issues`, alice.token, { title: 'Crash on upload' });
    const comment = await api('POST', `/api/projects/${slug}/issues/1/comments`, alice.token, {
      body: `@${bob.user.username} can you look? cc @${carol.user.username} \`@${alice.user.username}\``,
    });
    expect(comment.statusCode).toBe(201);
    const bobs = (await api('GET', '/api/me/notifications', bob.token)).json().items;
    expect(bobs[0]).toMatchObject({
      kind: 'comment_mention',
      title: `${alice.user.username} mentioned you on #1 Crash on upload`,
      link: `/projects/${slug}/issues/1`,
    });
    // Carol is not a member of the project.
    const carols = (await api('GET', '/api/me/notifications', carol.token)).json().items;
    expect(carols.some((n: { kind: string }) => n.kind === 'comment_mention')).toBe(false);
  });

  it('tells developers a merge request was opened, and asks the agent’s person to review it', async () => {
    const listener = notificationsOnReviewEvent(t.res);
    const mr = {
      id: '00000000-0000-4000-8000-00000000000a',
      number: 4,
      title: 'Add photos',
      description: 'Adds the photos page.',
      sourceBranch: 'orchard/photos',
      targetBranch: 'main',
      state: 'open' as const,
      headSha: 'a'.repeat(40),
      mergeCommitSha: null,
      author: 'agent',
      mergedBy: null,
      mergedAt: null,
      closedAt: null,
      checks: [],
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    };
    const agentActor = {
      userId: '00000000-0000-4000-8000-0000000000ff',
      username: 'agent-notes',
      role: 'member' as const,
      via: 'token' as const,
      scopes: ['read' as const, 'write' as const],
      delegation: {
        byUserId: alice.user.id,
        byUsername: alice.user.username,
        projectId,
        pushBranches: 'orchard/*',
        agentSessionId: null,
      },
    };
    const event = {
      type: 'merge_request' as const,
      action: 'opened' as const,
      projectId,
      projectSlug: slug,
      actor: agentActor,
      mergeRequest: mr,
    };
    await listener(event);
    await listener(event);
    const alices = (await api('GET', '/api/me/notifications', alice.token)).json().items;
    expect(
      alices.filter((n: { link: string }) => n.link === `/projects/${slug}/merge-requests/4`),
    ).toMatchObject([{ kind: 'review_requested', title: 'Review requested: !4 Add photos' }]);
    const bobs = (await api('GET', '/api/me/notifications', bob.token)).json().items;
    expect(
      bobs.filter((n: { link: string }) => n.link === `/projects/${slug}/merge-requests/4`),
    ).toMatchObject([{ kind: 'merge_request_opened', title: 'Merge request opened: !4 Add photos' }]);
  });

  it('tells maintainers when the pipeline fails, and when it passes again', async () => {
    const listener = notificationsOnReviewEvent(t.res);
    const events = { logger: t.res.logger, onEvent: [listener] };
    const check = (sha: string, status: 'success' | 'failure', n: number) =>
      reportCheck(
        t.res.db,
        {
          projectId,
          sha,
          name: 'pipeline',
          status,
          summary: `Pipeline #${n} ${status}`,
          details: {
            pipelineId: `00000000-0000-4000-8000-00000000010${n}`,
            number: n,
            ref: 'refs/heads/main',
          },
        },
        events,
      );
    await check('1'.repeat(40), 'success', 1);
    await check('2'.repeat(40), 'failure', 2);
    await check('3'.repeat(40), 'failure', 3);
    await check('4'.repeat(40), 'success', 4);
    const titles = (await api('GET', '/api/me/notifications', alice.token))
      .json()
      .items.map((n: { title: string }) => n.title)
      .filter((title: string) => title.startsWith('Pipeline #') && title.endsWith('on main'));
    expect(titles).toEqual([
      'Pipeline #4 passed again on main',
      'Pipeline #3 failed on main',
      'Pipeline #2 failed on main',
    ]);
    // Bob is a developer, not a maintainer.
    const bobs = (await api('GET', '/api/me/notifications', bob.token)).json().items;
    expect(bobs.some((n: { title: string }) => n.title.endsWith('on main'))).toBe(false);
  });
});

describe('SMTP settings', () => {
  it('lets admins override the config, seals the password and never returns it', async () => {
    const admin = await t.user('admin');
    expect((await api('GET', '/api/admin/smtp', alice.token)).statusCode).toBe(403);
    expect((await api('GET', '/api/admin/smtp', admin.token)).json()).toMatchObject({
      source: 'config',
      host: '127.0.0.1',
      passwordSet: false,
    });
    const bad = await api('PUT', '/api/admin/smtp', admin.token, {
      host: '',
      port: 0,
      secure: false,
      from: 'x',
    });
    expect(bad.statusCode).toBe(400);
    const put = await api('PUT', '/api/admin/smtp', admin.token, {
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      user: null,
      password: 'hunter2-very-secret',
      from: 'Orchard Admin <admin-mail@example.test>',
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ source: 'admin', passwordSet: true });
    expect(put.body).not.toContain('hunter2');
    const { rows } = await t.res.db.query('SELECT * FROM smtp_settings');
    expect(JSON.stringify(rows)).not.toContain('hunter2');

    const [n] = await notify(t.res, undefined, {
      kind: 'comment_mention',
      recipients: [bob.user.id],
      title: 'Sent with the admin settings',
      dedupeKey: 'smtp:admin',
    });
    await until(async () => (await findNotification(t.res.db, n!.id))?.email_status === 'sent', 30_000);
    expect(mailsTo(bob.user.email).at(-1)!.from).toBe('admin-mail@example.test');

    const reset = await api('DELETE', '/api/admin/smtp', admin.token);
    expect(reset.json()).toMatchObject({ source: 'config' });
  });
});
