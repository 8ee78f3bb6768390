import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import { runOrchard } from '../../../test/support/spawn-orchard.ts';
import { until } from '../../../test/support/until.ts';
import { concerns } from '../../platform/events/index.ts';
import { agentProjects } from '../projects/index.ts';
import { authenticateToken } from './authenticate.ts';
import { delegateToken } from './delegate-token.ts';

/** Two replicas on one database, both caching credentials (10 s): sessions end through `a`, `b` must follow. */
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await createTestApp();
  b = await createTestApp({}, { database: a.database });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const ROUTE = '/api/admin/sessions/revoke-all';

async function signIn(user: { user: { username: string }; password: string }) {
  const res = await a.http.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login: user.user.username, password: user.password },
  });
  expect(res.statusCode).toBe(200);
  return {
    cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
    csrf: res.json().csrfToken as string,
  };
}

const me = (t: TestApp, headers: Record<string, string>) =>
  t.http.inject({ url: '/api/auth/me', headers }).then((r) => r.statusCode);

/** Both replicas answer `status`; the deadline is below the cache TTL, so the notice did it. */
async function bothAnswer(headers: Record<string, string>, status: number) {
  for (const t of [a, b])
    await until(
      async () => (await me(t, headers)) === status,
      5_000,
      `${status} for ${JSON.stringify(headers)}`,
    );
}

describe('revoke every session', () => {
  it('is refused to members, to admin tokens without the admin scope and to agent tokens', async () => {
    const member = await a.user('member');
    const limitedAdmin = await a.user('admin', ['read', 'write']);
    const owner = await a.user('member');
    const project = (
      await a.http.inject({
        method: 'POST',
        url: '/api/projects',
        headers: bearer(owner.token),
        payload: { name: 'Sess' },
      })
    ).json();
    const agent = (
      await delegateToken(
        { db: a.res.db, clock: a.res.clock, projects: agentProjects(a.res.db) },
        {
          delegatedBy: await authenticateToken(a.res.db, a.res.clock, owner.token),
          projectId: project.id,
          agentSessionId: randomUUID(),
          expiresAt: new Date(Date.now() + 3_600_000),
        },
      )
    ).token;
    const session = await signIn(member);
    const cases: Array<[Record<string, string>, RegExp]> = [
      [bearer(member.token), /Only instance admins/],
      [{ cookie: session.cookie, 'x-csrf-token': session.csrf }, /Only instance admins/],
      [bearer(limitedAdmin.token), /lacks the admin scope/],
      [bearer(agent), /^Agent tokens cannot end sessions/],
    ];
    for (const [headers, reason] of cases) {
      const res = await a.http.inject({ method: 'POST', url: ROUTE, headers, payload: {} });
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().detail).toMatch(reason);
    }
    expect(await me(a, { cookie: session.cookie })).toBe(200);
  });

  it('signs out every session on every replica at once, keeps the caller’s if asked, and leaves API tokens working', async () => {
    const admin = await a.user('admin');
    const alice = await a.user('member');
    const bob = await a.user('member');
    const [adminSession, aliceSession, bobSession] = [
      await signIn(admin),
      await signIn(alice),
      await signIn(bob),
    ];
    for (const s of [adminSession, aliceSession, bobSession]) {
      expect(await me(a, { cookie: s.cookie })).toBe(200);
      expect(await me(b, { cookie: s.cookie })).toBe(200);
    }

    const res = await a.http.inject({
      method: 'POST',
      url: ROUTE,
      headers: { cookie: adminSession.cookie, 'x-csrf-token': adminSession.csrf },
      payload: { exceptCurrent: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ keptCurrent: true });
    expect(res.json().revoked).toBeGreaterThanOrEqual(2);

    await bothAnswer({ cookie: aliceSession.cookie }, 401);
    await bothAnswer({ cookie: bobSession.cookie }, 401);
    expect(await me(b, { cookie: adminSession.cookie })).toBe(200);
    for (const token of [alice.token, bob.token, admin.token]) expect(await me(b, bearer(token))).toBe(200);

    // Without a body, from a token: every session ends, the admin's own too.
    const all = await a.http.inject({ method: 'POST', url: ROUTE, headers: bearer(admin.token) });
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json()).toEqual({ revoked: 1, keptCurrent: false });
    await bothAnswer({ cookie: adminSession.cookie }, 401);
    expect(await me(b, bearer(admin.token))).toBe(200);

    const { rows } = await a.res.db.query<{
      actor_name: string;
      data: { revoked: number; keptCurrent: boolean };
    }>("SELECT actor_name, data FROM audit_log WHERE action = 'session.revoke_all' ORDER BY id");
    expect(rows.slice(-2).map((r) => [r.actor_name, r.data.keptCurrent])).toEqual([
      [admin.user.username, true],
      [admin.user.username, false],
    ]);
  });

  it('orchard admin revoke-sessions does the same from the command line', async () => {
    const carol = await a.user('member');
    const session = await signIn(carol);
    expect(await me(b, { cookie: session.cookie })).toBe(200);
    const run = await runOrchard(['admin', 'revoke-sessions', '--home', a.config.home], {
      DATABASE_URL: a.database.url,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Ended 1 sessions/);
    await bothAnswer({ cookie: session.cookie }, 401);
    expect(await me(b, bearer(carol.token))).toBe(200);
    const { rows } = await a.res.db.query(
      "SELECT actor_name FROM audit_log WHERE action = 'session.revoke_all' ORDER BY id",
    );
    expect(rows.at(-1)).toEqual({ actor_name: 'system' });
  });

  it('concerns sessions only: token holders and delegated tokens are not re-checked', () => {
    const change = { allSessions: true as const };
    expect(concerns(change, { userId: 'u', sessionId: 's' })).toBe(true);
    expect(concerns(change, { userId: 'u', tokenId: 't' })).toBe(false);
    expect(concerns({ allSessions: true, userId: 'u' }, { userId: 'v', sessionId: 's' })).toBe(false);
  });
});
