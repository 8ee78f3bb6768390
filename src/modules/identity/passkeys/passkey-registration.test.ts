import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { InjectBrowser, TEST_ORIGIN } from './passkey-browser.test-support.ts';
import { SoftAuthenticator } from './soft-authenticator.test-support.ts';

/** Adding, listing, renaming and revoking one's own passkeys from a browser session. */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.loginPerMinute': 10_000 });
});
afterAll(async () => t?.close());

async function signedIn() {
  const person = await t.user('member');
  const browser = new InjectBrowser(t.http);
  await browser.password(person.user.username, person.password);
  return { person, browser };
}

const sql = async <T>(text: string, values: unknown[] = []) =>
  (await t.res.db.query(text, values)).rows as T[];

describe('adding a passkey', () => {
  it('asks for a discoverable, user-verified credential on this host, and stores what the authenticator made', async () => {
    const { person, browser } = await signedIn();
    const options = await browser.registrationOptions();
    expect(options).toMatchObject({
      rp: { id: 'localhost', name: 'Orchard' },
      user: { name: person.user.username, id: Buffer.from(person.user.id).toString('base64url') },
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      attestation: 'none',
      timeout: 300_000,
    });
    const authenticator = new SoftAuthenticator(TEST_ORIGIN, { synced: true });
    const added = await browser.call('POST', '/api/passkeys', {
      name: '  work laptop ',
      response: authenticator.register(options),
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({
      name: 'work laptop',
      deviceType: 'multiDevice',
      backedUp: true,
      transports: ['internal'],
      lastUsedAt: null,
    });
    const [row] = await sql<{ credential_id: string; counter: number; user_id: string }>(
      'SELECT credential_id, counter, user_id FROM passkeys WHERE id = $1',
      [added.json().id],
    );
    expect(row).toEqual({
      credential_id: authenticator.credentials[0]!.id.toString('base64url'),
      counter: 1,
      user_id: person.user.id,
    });
    const [audit] = await sql<{ data: unknown }>(
      "SELECT data FROM audit_log WHERE action = 'passkey.register' AND target_id = $1",
      [added.json().id],
    );
    expect(audit!.data).toEqual({ name: 'work laptop', deviceType: 'multiDevice', backedUp: true });
  });

  it('holds several, excludes those already held from the next registration, and refuses one twice', async () => {
    const { browser } = await signedIn();
    const phone = new SoftAuthenticator(TEST_ORIGIN);
    const key = new SoftAuthenticator(TEST_ORIGIN);
    expect((await browser.addPasskey(phone, 'phone')).statusCode).toBe(201);
    expect((await browser.addPasskey(key, 'key')).statusCode).toBe(201);
    const options = await browser.registrationOptions();
    expect(options.excludeCredentials?.map((c) => c.id).sort()).toEqual(
      [...phone.credentials, ...key.credentials].map((c) => c.id.toString('base64url')).sort(),
    );
    const list = (await browser.call('GET', '/api/passkeys')).json();
    expect(list.items.map((p: { name: string }) => p.name)).toEqual(['phone', 'key']);
    // The same credential id once more (past the browser's own exclusion): refused, nothing stored.
    const again = phone.register(options, { credentialId: phone.credentials[0]!.id });
    const dup = await browser.call('POST', '/api/passkeys', { name: 'dup', response: again });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().detail).toMatch(/already registered/);
    expect((await browser.call('GET', '/api/passkeys')).json().items).toHaveLength(2);
  });

  it('binds the challenge to the session that asked: another session cannot finish it', async () => {
    const { person, browser } = await signedIn();
    const options = await browser.registrationOptions();
    const response = new SoftAuthenticator(TEST_ORIGIN).register(options);
    const second = new InjectBrowser(t.http);
    await second.password(person.user.username, person.password);
    // The second session even carries the first browser's binding cookie.
    second.cookies.set('orchard_passkey', browser.cookies.get('orchard_passkey')!);
    const stolen = await second.call('POST', '/api/passkeys', { name: 'x', response });
    expect(stolen.statusCode).toBe(422);
    expect(stolen.json().detail).toMatch(/another session/);
    expect((await browser.call('POST', '/api/passkeys', { name: 'mine', response })).statusCode).toBe(201);
    // Used up: the same answer cannot add it again.
    browser.cookies.set('orchard_passkey', second.cookies.get('orchard_passkey')!);
    expect((await browser.call('POST', '/api/passkeys', { name: 'mine', response })).statusCode).toBe(422);
  });

  it('fails closed on a wrong origin or RP id, and says what to do', async () => {
    const { browser } = await signedIn();
    for (const tamper of [{ origin: 'https://evil.test' }, { rpId: 'evil.test' }, { userVerified: false }]) {
      const res = await browser.addPasskey(new SoftAuthenticator(TEST_ORIGIN), 'bad', tamper);
      expect(res.statusCode, JSON.stringify(tamper)).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail).toMatch(/^The passkey could not be added: .*Add it again from this page\.$/);
    }
    expect((await browser.call('GET', '/api/passkeys')).json().items).toEqual([]);
  });

  it('refuses a missing name, naming the field', async () => {
    const { browser } = await signedIn();
    const response = new SoftAuthenticator(TEST_ORIGIN).register(await browser.registrationOptions());
    const res = await browser.call('POST', '/api/passkeys', { name: '   ', response });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'body.name', message: 'give the passkey a name, e.g. "work laptop"' },
    ]);
  });
});

describe('managing passkeys', () => {
  it('renames and revokes one, each audited; another person’s is not found', async () => {
    const { browser } = await signedIn();
    const first = (await browser.addPasskey(new SoftAuthenticator(TEST_ORIGIN), 'first')).json();
    const renamed = await browser.call('PATCH', `/api/passkeys/${first.id}`, { name: 'yubikey' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().name).toBe('yubikey');
    const stranger = await signedIn();
    expect(
      (await stranger.browser.call('PATCH', `/api/passkeys/${first.id}`, { name: 'mine' })).statusCode,
    ).toBe(404);
    expect((await stranger.browser.call('DELETE', `/api/passkeys/${first.id}`)).statusCode).toBe(404);
    // Their last passkey, but they have a password and nothing requires passkeys: it may go.
    const revoked = await browser.call('DELETE', `/api/passkeys/${first.id}`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect((await browser.call('GET', '/api/passkeys')).json().items).toEqual([]);
    const actions = await sql<{ action: string }>(
      "SELECT action FROM audit_log WHERE target_type = 'passkey' AND target_id = $1 ORDER BY created_at",
      [first.id],
    );
    expect(actions.map((a) => a.action)).toEqual(['passkey.register', 'passkey.rename', 'passkey.revoke']);
  });

  it('keeps the last passkey of an account without a password (409)', async () => {
    const { person, browser } = await signedIn();
    const only = (await browser.addPasskey(new SoftAuthenticator(TEST_ORIGIN), 'only')).json();
    await sql('UPDATE users SET password_hash = NULL WHERE id = $1', [person.user.id]);
    const refused = await browser.call('DELETE', `/api/passkeys/${only.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/"only" is your last passkey and your account has no password/);
  });

  it('is for browser sessions only: API tokens and agents are refused', async () => {
    const { person } = await signedIn();
    for (const [method, url] of [
      ['GET', '/api/passkeys'],
      ['POST', '/api/passkeys/registration/options'],
    ] as const) {
      const res = await t.http.inject({ method, url, headers: bearer(person.token) });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().detail).toMatch(/^API tokens cannot call/);
    }
  });

  it('shows admins how many passkeys each user holds', async () => {
    const admin = await t.user('admin');
    const { person, browser } = await signedIn();
    await browser.addPasskey(new SoftAuthenticator(TEST_ORIGIN), 'a');
    await browser.addPasskey(new SoftAuthenticator(TEST_ORIGIN), 'b');
    const users = (await t.http.inject({ url: '/api/users?limit=100', headers: bearer(admin.token) })).json()
      .items as Array<{ id: string; passkeys: number }>;
    expect(users.find((u) => u.id === person.user.id)?.passkeys).toBe(2);
    expect(users.find((u) => u.id === admin.user.id)?.passkeys).toBe(0);
  });
});
