import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import { until } from '../../../test/support/until.ts';
import { notifyAccessChange } from '../../platform/events/index.ts';
import { SYSTEM_ACTOR } from '../../platform/http/actor.ts';
import { createActorCache } from './actor-cache.ts';
import { createLastUseRecorder } from './last-use.ts';

/** Two replicas on one database: credentials are cached on `b`, access is taken away through `a`. */
let a: TestApp;
let b: TestApp;
let admin: { token: string };

beforeAll(async () => {
  a = await createTestApp();
  b = await createTestApp({}, { database: a.database });
  admin = await a.user('admin');
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const me = (t: TestApp, headers: Record<string, string>) => t.http.inject({ url: '/api/auth/me', headers });

/** Waits (with a deadline) until `b` answers `status` for the request. */
async function refusedOnB(request: () => Promise<{ statusCode: number; body: string }>, status: number) {
  return until(
    async () => {
      const response = await request();
      return response.statusCode === status && response;
    },
    3_000,
    `the other replica to answer ${status}`,
  );
}

describe('cached credentials', () => {
  it('a token revoked on one replica is refused by the other on its next request', async () => {
    const user = await a.user('member');
    expect((await me(b, bearer(user.token))).statusCode).toBe(200);
    expect((await me(b, bearer(user.token))).statusCode).toBe(200);
    const [token] = (await a.http.inject({ url: '/api/tokens', headers: bearer(user.token) })).json().items;
    const revoked = await a.http.inject({
      method: 'DELETE',
      url: `/api/tokens/${token.id}`,
      headers: bearer(user.token),
    });
    expect(revoked.statusCode).toBe(200);
    const refused = await refusedOnB(() => me(b, bearer(user.token)), 401);
    expect(refused.body).toMatch(/revoked/);
  });

  it('a disabled user, a demoted admin and a logged-out session are refused by the other replica at once', async () => {
    const member = await a.user('member');
    const otherAdmin = await a.user('admin');
    const users = () => b.http.inject({ url: '/api/users', headers: bearer(otherAdmin.token) });
    expect((await me(b, bearer(member.token))).statusCode).toBe(200);
    expect((await users()).statusCode).toBe(200);
    const patch = (id: string, payload: object) =>
      a.http.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: bearer(admin.token), payload });
    expect((await patch(member.user.id, { disabled: true })).statusCode).toBe(200);
    expect((await patch(otherAdmin.user.id, { role: 'member' })).statusCode).toBe(200);
    expect((await refusedOnB(() => me(b, bearer(member.token)), 401)).body).toMatch(/disabled/);
    expect((await refusedOnB(users, 403)).body).toMatch(/admins/);

    const someone = await a.user('member');
    const login = await a.http.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: someone.user.username, password: someone.password },
    });
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await me(b, { cookie })).statusCode).toBe(200);
    const out = await a.http.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, 'x-csrf-token': login.json().csrfToken },
    });
    expect(out.statusCode).toBe(204);
    await refusedOnB(() => me(b, { cookie }), 401);
  });

  it('trusts a cached credential for at most the TTL when no notice comes', async () => {
    const c = await createTestApp({ 'access.cacheTtlMs': 3_000 }, { database: a.database });
    try {
      const user = await a.user('member');
      expect((await me(c, bearer(user.token))).statusCode).toBe(200);
      // Straight into the table: no notice, so only the TTL ends the cached entry.
      await a.res.db.query('UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1', [user.user.id]);
      const soon = performance.now();
      const cached = await me(c, bearer(user.token));
      if (performance.now() - soon < 2_500) expect(cached.statusCode).toBe(200);
      await until(async () => (await me(c, bearer(user.token))).statusCode === 401, 6_000, 'the TTL to end');
    } finally {
      await c.close();
    }
  });

  it('is bounded, and never keeps a lookup that raced with a change', async () => {
    const cache = createActorCache({ bus: a.res.bus, logger: a.res.logger, ttlMs: 60_000, maxEntries: 2 });
    try {
      // Nothing is cached until the cache listens for changes.
      await until(() => {
        cache.set('probe', { actor: { ...SYSTEM_ACTOR, userId: 'u0' } }, cache.stamp());
        return cache.get('probe', new Date()) !== undefined;
      });
      const now = new Date();
      for (const n of [1, 2, 3])
        cache.set(`k${n}`, { actor: { ...SYSTEM_ACTOR, userId: `u${n}` } }, cache.stamp());
      expect(cache.size).toBe(2);
      expect(cache.get('k1', now)).toBeUndefined();
      expect(cache.get('k3', now)?.actor.userId).toBe('u3');

      // A lookup that started before a change arrived is not kept.
      const stamp = cache.stamp();
      await notifyAccessChange(a.res.db, { userId: 'u9' });
      await until(() => cache.stamp() !== stamp, 3_000, 'the notice');
      cache.set('k9', { actor: { ...SYSTEM_ACTOR, userId: 'u9' } }, stamp);
      expect(cache.get('k9', now)).toBeUndefined();
      // A change drops the entries it concerns, and only those.
      await notifyAccessChange(a.res.db, { userId: 'u3' });
      await until(() => cache.get('k3', now) === undefined, 3_000, 'u3 to be dropped');
      expect(cache.get('k2', now)?.actor.userId).toBe('u2');
    } finally {
      cache.close();
    }
  });

  it('records a token’s last use in the background, at most once a minute', async () => {
    const user = await a.user('member');
    const [token] = (await a.http.inject({ url: '/api/tokens', headers: bearer(user.token) })).json().items;
    const lastUsed = async () =>
      (
        await a.res.db.query<{ last_used_at: Date | null }>(
          'SELECT last_used_at FROM api_tokens WHERE id = $1',
          [token.id],
        )
      ).rows[0]!.last_used_at;
    await a.res.db.query('UPDATE api_tokens SET last_used_at = NULL WHERE id = $1', [token.id]);
    const recorder = createLastUseRecorder(a.res.db, a.res.logger, { flushMs: 60_000 });
    const t0 = new Date('2030-01-01T00:00:00Z');
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    for (const s of [0, 1, 2]) recorder.note(token.id, at(s));
    expect(await lastUsed()).toBeNull();
    await recorder.flush();
    expect((await lastUsed())?.toISOString()).toBe(at(0).toISOString());
    recorder.note(token.id, at(30));
    await recorder.flush();
    expect((await lastUsed())?.toISOString()).toBe(at(0).toISOString());
    recorder.note(token.id, at(61));
    await recorder.close();
    expect((await lastUsed())?.toISOString()).toBe(at(61).toISOString());
  });
});
