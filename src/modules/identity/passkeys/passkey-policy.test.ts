import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { until } from '../../../../test/support/until.ts';
import { InjectBrowser, TEST_ORIGIN } from './passkey-browser.test-support.ts';
import { SoftAuthenticator } from './soft-authenticator.test-support.ts';

/**
 * "Require passkeys": two replicas on one database, both caching credentials, so the policy must
 * reach sessions already open in another process through the access notice, not the cache's TTL.
 */
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await createTestApp({ 'rateLimit.loginPerMinute': 10_000 });
  b = await createTestApp({ 'rateLimit.loginPerMinute': 10_000 }, { database: a.database });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const policy = (t: TestApp, token: string, requirePasskeys: boolean) =>
  t.http.inject({
    method: 'PUT',
    url: '/api/admin/passkey-policy',
    headers: bearer(token),
    payload: { requirePasskeys },
  });

describe('require passkeys', () => {
  it('is for admins, and an admin must hold a passkey before turning it on', async () => {
    const member = await a.user('member');
    expect((await policy(a, member.token, true)).statusCode).toBe(403);
    const admin = await a.user('admin');
    const refused = await policy(a, admin.token, true);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/Add a passkey for yourself first/);
    const get = await a.http.inject({ url: '/api/admin/passkey-policy', headers: bearer(admin.token) });
    expect(get.json()).toEqual({ requirePasskeys: false, updatedAt: null });
  });

  it('sends a person without a passkey to register one before anything else, in every process', async () => {
    // The admin holds a passkey (added from their browser), then turns the policy on.
    const admin = await a.user('admin');
    const adminBrowser = new InjectBrowser(a.http);
    await adminBrowser.password(admin.user.username, admin.password);
    expect((await adminBrowser.addPasskey(new SoftAuthenticator(TEST_ORIGIN), 'admin key')).statusCode).toBe(
      201,
    );

    // A member signed in on replica b before the policy, and seen there (so cached).
    const member = await a.user('member');
    const early = new InjectBrowser(b.http);
    await early.password(member.user.username, member.password);
    expect((await early.call('GET', '/api/projects')).statusCode).toBe(200);

    const on = await policy(a, admin.token, true);
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json().requirePasskeys).toBe(true);

    // Replica b learns it from the notice, well within the cache's 10 s.
    await until(
      async () => (await early.call('GET', '/api/projects')).statusCode === 403,
      5_000,
      'b refuses',
    );
    const refused = await early.call('GET', '/api/projects');
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'passkey_required', status: 403 });
    expect(refused.json().detail).toMatch(/register one \(Settings → Passkeys\)/);

    // A fresh password sign-in works, and says what is asked of them.
    const late = new InjectBrowser(a.http);
    await late.password(member.user.username, member.password);
    expect((await late.call('GET', '/api/auth/me')).json().mustRegisterPasskey).toBe(true);
    expect((await late.call('POST', '/api/projects', { name: 'Not yet' })).json().code).toBe(
      'passkey_required',
    );
    expect((await late.call('GET', '/api/passkeys')).statusCode).toBe(200);
    // The admin's own sessions are not held: they have one.
    expect((await adminBrowser.call('GET', '/api/projects')).statusCode).toBe(200);

    // Registering one lifts it for all their sessions, on both replicas.
    expect((await late.addPasskey(new SoftAuthenticator(TEST_ORIGIN), 'phone')).statusCode).toBe(201);
    expect((await late.call('GET', '/api/auth/me')).json().mustRegisterPasskey).toBeUndefined();
    expect((await late.call('POST', '/api/projects', { name: 'Now' })).statusCode).toBe(201);
    await until(
      async () => (await early.call('GET', '/api/projects')).statusCode === 200,
      5_000,
      'b lets in',
    );

    // Their last passkey is kept while the policy holds.
    const [mine] = (await late.call('GET', '/api/passkeys')).json().items;
    const keep = await late.call('DELETE', `/api/passkeys/${mine.id}`);
    expect(keep.statusCode).toBe(409);
    expect(keep.json().detail).toMatch(/"phone" is your last passkey and this instance requires one/);

    // API tokens are not held by the policy (they are not a sign-in); the admin turns it off.
    const other = await a.user('member');
    expect((await a.http.inject({ url: '/api/projects', headers: bearer(other.token) })).statusCode).toBe(
      200,
    );
    expect((await policy(a, admin.token, false)).statusCode).toBe(200);
    const audit = await a.res.db.query<{ data: { requirePasskeys: boolean } }>(
      "SELECT data FROM audit_log WHERE action = 'passkey_policy.update' ORDER BY created_at",
    );
    expect(audit.rows.map((r) => r.data.requirePasskeys)).toEqual([true, false]);
    expect((await late.call('DELETE', `/api/passkeys/${mine.id}`)).statusCode).toBe(200);
  });
});
