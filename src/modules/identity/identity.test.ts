import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import { ManualClock } from '../../platform/clock.ts';

let t: TestApp;
const clock = new ManualClock(new Date());
beforeAll(async () => {
  t = await createTestApp({}, { clock });
});
afterAll(async () => t?.close());

function cookiesOf(res: { headers: Record<string, unknown> }) {
  const set = [res.headers['set-cookie']].flat().filter(Boolean) as string[];
  return Object.fromEntries(set.map((c) => c.split(';')[0]!.split('=') as [string, string]));
}

describe('first run and sessions', () => {
  let session: string;
  let csrf: string;

  it('asks for an admin, creates exactly one, then refuses a second', async () => {
    expect((await t.http.inject({ url: '/api/setup' })).json()).toEqual({ needsAdmin: true });
    const bad = await t.http.inject({
      method: 'POST',
      url: '/api/setup/admin',
      payload: { email: 'nope', password: 'short' },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['body.email', 'body.password']);
    const created = await t.http.inject({
      method: 'POST',
      url: '/api/setup/admin',
      payload: { email: 'root@example.test', password: 'correct horse battery' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().user).toMatchObject({ username: 'admin', role: 'admin' });
    const c = cookiesOf(created);
    expect(created.headers['set-cookie']!.toString()).toMatch(/orchard_session=[^;]+;.*HttpOnly/i);
    session = c.orchard_session!;
    csrf = c.orchard_csrf!;
    expect(csrf).toBe(created.json().csrfToken);
    const again = await t.http.inject({
      method: 'POST',
      url: '/api/setup/admin',
      payload: { email: 'x@example.test', password: 'correct horse battery' },
    });
    expect(again.statusCode).toBe(409);
    expect((await t.http.inject({ url: '/api/setup' })).json()).toEqual({ needsAdmin: false });
  });

  it('authenticates reads by cookie, and requires the CSRF header for cookie mutations', async () => {
    const cookie = `orchard_session=${session}`;
    const me = await t.http.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ via: 'session', user: { username: 'admin' } });
    const noCsrf = await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { cookie },
      payload: { name: 'csrf' },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().detail).toContain('CSRF');
    const wrong = await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { cookie, 'x-csrf-token': 'forged' },
      payload: { name: 'csrf' },
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { name: 'csrf' },
    });
    expect(ok.statusCode).toBe(201);
  });

  it('logs in with username or email, refuses a wrong password the same way, and logs out', async () => {
    const wrong = await t.http.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'admin', password: 'wrong password!' },
    });
    const unknown = await t.http.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'ghost', password: 'wrong password!' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().detail).toBe(wrong.json().detail);
    const byEmail = await t.http.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'ROOT@example.test', password: 'correct horse battery' },
    });
    expect(byEmail.statusCode).toBe(200);
    const c = cookiesOf(byEmail);
    const cookie = `orchard_session=${c.orchard_session}`;
    const out = await t.http.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, 'x-csrf-token': c.orchard_csrf! },
    });
    expect(out.statusCode).toBe(204);
    expect((await t.http.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('API tokens', () => {
  it('is shown once, stored hashed, and scoped', async () => {
    const { token } = await t.user('member');
    const created = await t.http.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: bearer(token),
      payload: { name: 'ci', scopes: ['read'] },
    });
    expect(created.statusCode).toBe(201);
    const readToken = created.json().token as string;
    expect(readToken).toMatch(/^orch_[A-Za-z0-9]{40}$/);
    const { rows } = await t.res.db.query('SELECT token_hash FROM api_tokens WHERE id = $1', [
      created.json().id,
    ]);
    expect(rows[0].token_hash).not.toContain(readToken);
    const list = await t.http.inject({ url: '/api/tokens', headers: bearer(token) });
    expect(JSON.stringify(list.json())).not.toContain(readToken);
    expect((await t.http.inject({ url: '/api/projects', headers: bearer(readToken) })).statusCode).toBe(200);
    const write = await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(readToken),
      payload: { name: 'x' },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().detail).toContain('write scope');
  });

  it('cannot grant more than the holder has or the role allows', async () => {
    const member = await t.user('member');
    const admin = await t.http.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: bearer(member.token),
      payload: { scopes: ['admin'] },
    });
    expect(admin.statusCode).toBe(403);
    const reader = await t.user('member', ['read']);
    const escalate = await t.http.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: bearer(reader.token),
      payload: { scopes: ['read'] },
    });
    expect(escalate.statusCode).toBe(403); // minting a token is a write
  });

  it('expires', async () => {
    const { token } = await t.user('member');
    const created = (
      await t.http.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: bearer(token),
        payload: { scopes: ['read'], expiresInDays: 1 },
      })
    ).json();
    expect((await t.http.inject({ url: '/api/projects', headers: bearer(created.token) })).statusCode).toBe(
      200,
    );
    clock.advance(24 * 3600_000 + 1000);
    const expired = await t.http.inject({ url: '/api/projects', headers: bearer(created.token) });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().detail).toContain('expired');
    expect(expired.headers['www-authenticate']).toContain('Bearer');
  });

  it('can be revoked, and then stops working', async () => {
    const { token } = await t.user('member');
    const created = (
      await t.http.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: bearer(token),
        payload: { scopes: ['read', 'write'] },
      })
    ).json();
    const revoked = await t.http.inject({
      method: 'DELETE',
      url: `/api/tokens/${created.id}`,
      headers: bearer(token),
    });
    expect(revoked.json().revokedAt).not.toBeNull();
    const after = await t.http.inject({ url: '/api/projects', headers: bearer(created.token) });
    expect(after.statusCode).toBe(401);
    expect(after.json().detail).toContain('revoked');
    // Someone else's token is invisible.
    const other = await t.user('member');
    expect(
      (
        await t.http.inject({
          method: 'DELETE',
          url: `/api/tokens/${created.id}`,
          headers: bearer(other.token),
        })
      ).statusCode,
    ).toBe(404);
  });

  it('loses admin powers when its user is demoted', async () => {
    const boss = await t.user('admin');
    const target = await t.user('admin');
    expect((await t.http.inject({ url: '/api/users', headers: bearer(target.token) })).statusCode).toBe(200);
    await t.http.inject({
      method: 'PATCH',
      url: `/api/users/${target.user.id}`,
      headers: bearer(boss.token),
      payload: { role: 'member' },
    });
    expect((await t.http.inject({ url: '/api/users', headers: bearer(target.token) })).statusCode).toBe(403);
  });
});

describe('users', () => {
  it('refuses an email another user has with a 409, and changes nothing', async () => {
    const boss = await t.user('admin');
    const a = await t.user('member');
    const b = await t.user('member');
    const res = await t.http.inject({
      method: 'PATCH',
      url: `/api/users/${b.user.id}`,
      headers: bearer(boss.token),
      payload: { email: a.user.email.toUpperCase(), disabled: true },
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ code: 'conflict', detail: expect.stringMatching(/email/) });
    const { rows } = await t.res.db.query('SELECT email, disabled FROM users WHERE id = $1', [b.user.id]);
    expect(rows[0]).toEqual({ email: b.user.email, disabled: false });
  });

  it('ends the user’s other sessions when the password changes, and all of them when an admin sets it', async () => {
    const boss = await t.user('admin');
    const member = await t.user('member');
    const password = 'the first password of this member';
    await t.http.inject({
      method: 'PATCH',
      url: `/api/users/${member.user.id}`,
      headers: bearer(boss.token),
      payload: { password },
    });
    const login = async (pw: string) => {
      const res = await t.http.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login: member.user.username, password: pw },
      });
      expect(res.statusCode, res.body).toBe(200);
      const c = cookiesOf(res);
      return { cookie: `orchard_session=${c.orchard_session}`, csrf: c.orchard_csrf! };
    };
    const me = async (s: { cookie: string }) =>
      (await t.http.inject({ url: '/api/auth/me', headers: { cookie: s.cookie } })).statusCode;
    const laptop = await login(password);
    const stolen = await login(password);
    expect([await me(laptop), await me(stolen)]).toEqual([200, 200]);

    const changed = await t.http.inject({
      method: 'PATCH',
      url: `/api/users/${member.user.id}`,
      headers: { cookie: laptop.cookie, 'x-csrf-token': laptop.csrf },
      payload: { password: 'a second password, only mine' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect([await me(laptop), await me(stolen)]).toEqual([200, 401]);
    // The member's API token is not a session: it keeps working.
    expect((await t.http.inject({ url: '/api/auth/me', headers: bearer(member.token) })).statusCode).toBe(
      200,
    );
    const { rows } = await t.res.db.query(
      `SELECT data FROM audit_log WHERE action = 'user.update' AND target_id = $1 ORDER BY id DESC LIMIT 1`,
      [member.user.id],
    );
    expect(rows[0]?.data).toMatchObject({ passwordChanged: true, sessionsEnded: 1 });

    await t.http.inject({
      method: 'PATCH',
      url: `/api/users/${member.user.id}`,
      headers: bearer(boss.token),
      payload: { password: 'set by the admin this time' },
    });
    expect(await me(laptop)).toBe(401);
  });
});
