import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { ManualClock } from '../../../platform/clock.ts';
import { insertAgentUser } from '../store.ts';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;
const clock = new ManualClock(new Date());
beforeAll(async () => {
  t = await createTestApp({}, { clock });
  admin = await t.user('admin');
});
afterAll(async () => t?.close());

const call = (opts: InjectOptions) => t.http.inject(opts);
const secretOf = (path: string) => path.split('/').pop()!;

function sessionOf(res: { cookies: Array<{ name: string; value: string }> }) {
  const c = Object.fromEntries(res.cookies.map((x) => [x.name, x.value]));
  return {
    cookie: `orchard_session=${c.orchard_session}; orchard_csrf=${c.orchard_csrf}`,
    csrf: c.orchard_csrf!,
  };
}
const meStatus = async (cookie: string) =>
  (await call({ url: '/api/auth/me', headers: { cookie } })).statusCode;

async function invite(username: string, role: 'admin' | 'member' = 'member') {
  const res = await call({
    method: 'POST',
    url: '/api/admin/invitations',
    headers: bearer(admin.token),
    payload: { username, email: `${username}@example.test`, role },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as {
    user: { id: string; username: string; role: string };
    link: { purpose: string; path: string; url: string; expiresAt: string };
  };
}

async function login(username: string, password: string) {
  return call({ method: 'POST', url: '/api/auth/login', payload: { login: username, password } });
}

describe('invitations', () => {
  it('creates the person without a password and a week-long link they use once to set one and sign in', async () => {
    const { user, link } = await invite('carol', 'member');
    expect(link.purpose).toBe('invite');
    expect(link.path).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(link.url).toBe(`http://localhost${link.path}`);
    expect(new Date(link.expiresAt).getTime() - clock.now().getTime()).toBe(7 * 86_400_000);
    const secret = secretOf(link.path);
    // Only the link's hash is stored, and the account has no password yet: nobody can sign in as carol.
    const stored = await t.res.db.query('SELECT token_hash FROM account_links WHERE user_id = $1', [user.id]);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].token_hash).not.toContain(secret);
    expect((await login('carol', '')).statusCode).toBe(400);
    expect((await login('carol', 'anything at all')).statusCode).toBe(401);
    const listed = (await call({ url: '/api/users?limit=200', headers: bearer(admin.token) })).json();
    expect(listed.items.find((u: { id: string }) => u.id === user.id)).toMatchObject({
      hasPassword: false,
      invitation: { expiresAt: link.expiresAt },
    });

    const lookup = await call({
      method: 'POST',
      url: '/api/account-links/lookup',
      payload: { token: secret },
    });
    expect(lookup.json()).toEqual({ purpose: 'invite', username: 'carol', expiresAt: link.expiresAt });

    const accepted = await call({
      method: 'POST',
      url: '/api/account-links/accept',
      payload: { token: secret, password: 'carol chose this one' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().user).toMatchObject({ username: 'carol', role: 'member' });
    expect(await meStatus(sessionOf(accepted).cookie)).toBe(200);
    expect((await login('carol', 'carol chose this one')).statusCode).toBe(200);

    // Used up: neither looked up nor accepted again, and the account keeps the first password.
    for (const url of ['/api/account-links/lookup', '/api/account-links/accept']) {
      const again = await call({
        method: 'POST',
        url,
        payload: { token: secret, password: 'someone else now' },
      });
      expect(again.statusCode).toBe(404);
      expect(again.json().detail).toMatch(/already used.*Ask an Orchard admin for a new link/);
    }
    expect((await login('carol', 'someone else now')).statusCode).toBe(401);
    const after = (await call({ url: '/api/users?limit=200', headers: bearer(admin.token) })).json();
    expect(after.items.find((u: { id: string }) => u.id === user.id)).toMatchObject({
      hasPassword: true,
      invitation: null,
    });

    const actions = await t.res.db.query(
      `SELECT action, actor_name FROM audit_log WHERE target_id = $1 ORDER BY id`,
      [user.id],
    );
    expect(actions.rows).toEqual([
      { action: 'user.invite', actor_name: admin.user.username },
      { action: 'user.accept_invite', actor_name: 'carol' },
      { action: 'session.create', actor_name: 'carol' },
      // The password sign-in after it.
      { action: 'session.create', actor_name: 'carol' },
    ]);
  });

  it('refuses members, agent tokens, taken names and agent-like names, writing nothing', async () => {
    const member = await t.user('member');
    const before = (await t.res.db.query('SELECT count(*)::int AS n FROM users')).rows[0].n;
    const asMember = await call({
      method: 'POST',
      url: '/api/admin/invitations',
      headers: bearer(member.token),
      payload: { username: 'dave', email: 'dave@example.test' },
    });
    expect(asMember.statusCode).toBe(403);
    const taken = await call({
      method: 'POST',
      url: '/api/admin/invitations',
      headers: bearer(admin.token),
      payload: { username: member.user.username, email: 'other@example.test' },
    });
    expect(taken.statusCode).toBe(409);
    const agentish = await call({
      method: 'POST',
      url: '/api/admin/invitations',
      headers: bearer(admin.token),
      payload: { username: 'agent-x', email: 'agent-x@example.test' },
    });
    expect(agentish.statusCode).toBe(400);
    expect((await t.res.db.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(before);
  });

  it('expires after a week; a new link replaces the old one', async () => {
    const { user, link } = await invite('erin');
    clock.advance(7 * 86_400_000 + 1000);
    const late = await call({
      method: 'POST',
      url: '/api/account-links/accept',
      payload: { token: secretOf(link.path), password: 'too late for this one' },
    });
    expect(late.statusCode).toBe(404);
    expect(late.json().detail).toMatch(/expired on .*Ask an Orchard admin/);

    const again = await call({
      method: 'POST',
      url: `/api/users/${user.id}/account-links`,
      headers: bearer(admin.token),
      payload: { purpose: 'invite' },
    });
    expect(again.statusCode, again.body).toBe(201);
    const fresh = again.json().link;
    const second = await call({
      method: 'POST',
      url: `/api/users/${user.id}/account-links`,
      headers: bearer(admin.token),
      payload: { purpose: 'invite' },
    });
    const replaced = await call({
      method: 'POST',
      url: '/api/account-links/lookup',
      payload: { token: secretOf(fresh.path) },
    });
    expect(replaced.statusCode).toBe(404);
    const ok = await call({
      method: 'POST',
      url: '/api/account-links/accept',
      payload: { token: secretOf(second.json().link.path), password: 'erin is in at last' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    // Someone with a password gets a reset, not an invitation.
    const invited = await call({
      method: 'POST',
      url: `/api/users/${user.id}/account-links`,
      headers: bearer(admin.token),
      payload: { purpose: 'invite' },
    });
    expect(invited.statusCode).toBe(409);
    expect(invited.json().detail).toMatch(/already has a password: send a password-reset link/);
  });
});

describe('password-reset links', () => {
  it("end the person's sessions at once, last a day, and set the new password when used", async () => {
    const member = await t.user('member');
    const signedIn = sessionOf(await login(member.user.username, member.password));
    expect(await meStatus(signedIn.cookie)).toBe(200);

    const made = await call({
      method: 'POST',
      url: `/api/users/${member.user.id}/account-links`,
      headers: bearer(admin.token),
      payload: { purpose: 'reset' },
    });
    expect(made.statusCode, made.body).toBe(201);
    const { link, sessionsEnded } = made.json();
    expect(sessionsEnded).toBe(1);
    expect(link.path).toMatch(/^\/reset-password\//);
    expect(new Date(link.expiresAt).getTime() - clock.now().getTime()).toBe(86_400_000);
    expect(await meStatus(signedIn.cookie)).toBe(401);
    // API tokens are not sessions: they keep working.
    expect((await call({ url: '/api/auth/me', headers: bearer(member.token) })).statusCode).toBe(200);

    const lookup = await call({
      method: 'POST',
      url: '/api/account-links/lookup',
      payload: { token: secretOf(link.path) },
    });
    expect(lookup.json()).toMatchObject({ purpose: 'reset', username: member.user.username });
    const used = await call({
      method: 'POST',
      url: '/api/account-links/accept',
      payload: { token: secretOf(link.path), password: 'a brand new password' },
    });
    expect(used.statusCode, used.body).toBe(200);
    expect((await login(member.user.username, member.password)).statusCode).toBe(401);
    expect((await login(member.user.username, 'a brand new password')).statusCode).toBe(200);
    const audit = await t.res.db.query(
      `SELECT action, data FROM audit_log WHERE target_id = $1 AND action LIKE 'user.reset%' ORDER BY id`,
      [member.user.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['user.reset_link', 'user.reset_password']);
    expect(audit.rows[0].data).toMatchObject({ sessionsEnded: 1 });
    expect(JSON.stringify(audit.rows)).not.toContain(secretOf(link.path));
  });

  it('are refused for agents, services, disabled accounts and oneself, with the reason', async () => {
    const agent = (await insertAgentUser(t.res.db, {
      username: 'agent-links',
      email: 'agent-links@x.test',
    }))!;
    const service = (
      await t.res.db.query(
        `INSERT INTO users (username, email, password_hash, role, kind)
         VALUES ('ci-bot', 'ci-bot@example.test', NULL, 'member', 'service') RETURNING id`,
      )
    ).rows[0].id as string;
    const disabled = await t.user('member');
    await call({
      method: 'PATCH',
      url: `/api/users/${disabled.user.id}`,
      headers: bearer(admin.token),
      payload: { disabled: true },
    });
    const cases: Array<[string, 'invite' | 'reset', RegExp]> = [
      [agent.id, 'reset', /an agent principal: it acts with API tokens only/],
      [service, 'invite', /a service account: it acts with API tokens only/],
      [service, 'reset', /a service account/],
      [disabled.user.id, 'reset', /is disabled: enable the account first/],
      [admin.user.id, 'reset', /cannot send yourself a link/],
    ];
    for (const [id, purpose, reason] of cases) {
      const res = await call({
        method: 'POST',
        url: `/api/users/${id}/account-links`,
        headers: bearer(admin.token),
        payload: { purpose },
      });
      expect(res.statusCode, `${id} ${purpose}`).toBe(409);
      expect(res.json().detail).toMatch(reason);
    }
    const missing = await call({
      method: 'POST',
      url: '/api/users/00000000-0000-4000-8000-000000000000/account-links',
      headers: bearer(admin.token),
      payload: { purpose: 'reset' },
    });
    expect(missing.statusCode).toBe(404);
    const rows = await t.res.db.query(
      'SELECT count(*)::int AS n FROM account_links WHERE user_id = ANY($1)',
      [[agent.id, service, disabled.user.id, admin.user.id]],
    );
    expect(rows.rows[0].n).toBe(0);
  });

  it('stops working when the account is disabled after the link was made', async () => {
    const member = await t.user('member');
    const made = (
      await call({
        method: 'POST',
        url: `/api/users/${member.user.id}/account-links`,
        headers: bearer(admin.token),
        payload: { purpose: 'reset' },
      })
    ).json();
    await call({
      method: 'PATCH',
      url: `/api/users/${member.user.id}`,
      headers: bearer(admin.token),
      payload: { disabled: true },
    });
    const res = await call({
      method: 'POST',
      url: '/api/account-links/accept',
      payload: { token: secretOf(made.link.path), password: 'a password for nobody' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toMatch(/cannot sign in \(it is disabled\)/);
  });

  it('refuses a malformed secret with a 400 naming the field', async () => {
    const res = await call({
      method: 'POST',
      url: '/api/account-links/lookup',
      payload: { token: 'x/../y' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.token');
  });
});
