import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import { ManualClock } from '../../../platform/clock.ts';
import { InjectBrowser, TEST_ORIGIN } from './passkey-browser.test-support.ts';
import { SoftAuthenticator } from './soft-authenticator.test-support.ts';

/** Passwordless sign-in with a discoverable passkey, and every way an answer must be refused. */
let t: TestApp;
const clock = new ManualClock(new Date());

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.loginPerMinute': 10_000 }, { clock });
});
afterAll(async () => t?.close());

/** A person with a password who added a passkey from their signed-in browser. */
async function personWithPasskey(options: { counter?: 'increments' | 'zero'; synced?: boolean } = {}) {
  const person = await t.user('member');
  const authenticator = new SoftAuthenticator(TEST_ORIGIN, options);
  const browser = new InjectBrowser(t.http);
  await browser.password(person.user.username, person.password);
  const added = await browser.addPasskey(authenticator, 'phone');
  expect(added.statusCode, added.body).toBe(201);
  return { person, authenticator, passkey: added.json() as { id: string } };
}

const sql = async <T>(text: string, values: unknown[] = []) =>
  (await t.res.db.query(text, values)).rows as T[];

describe('signing in with a passkey', () => {
  it('opens the same session a password login opens: cookies, CSRF, audit row, last use', async () => {
    const { person, authenticator, passkey } = await personWithPasskey();
    const browser = new InjectBrowser(t.http);
    const signedIn = await browser.passkeySignIn(authenticator);
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(signedIn.json().user.username).toBe(person.user.username);
    expect(browser.cookies.get('orchard_csrf')).toBe(signedIn.json().csrfToken);
    expect(browser.cookies.has('orchard_session')).toBe(true);
    // The challenge's binding is gone with its use.
    expect(browser.cookies.has('orchard_passkey')).toBe(false);
    const me = await browser.call('GET', '/api/auth/me');
    expect(me.json()).toMatchObject({ via: 'session', user: { id: person.user.id } });
    // A write with the session's CSRF token works, as after a password login.
    const project = await browser.call('POST', '/api/projects', { name: 'Passkey made' });
    expect(project.statusCode, project.body).toBe(201);
    const [audit] = await sql<{ data: Record<string, unknown> }>(
      "SELECT data FROM audit_log WHERE action = 'session.create' AND target_id = $1 ORDER BY created_at DESC LIMIT 1",
      [person.user.id],
    );
    expect(audit!.data).toEqual({ method: 'passkey', passkeyId: passkey.id });
    const list = (await browser.call('GET', '/api/passkeys')).json();
    expect(list.items[0].lastUsedAt).toBe(clock.now().toISOString());
  });

  it('refuses a replayed answer: the challenge is single-use', async () => {
    const { authenticator } = await personWithPasskey();
    const browser = new InjectBrowser(t.http);
    const options = await browser.signInOptions();
    const response = authenticator.signIn(options);
    const binding = browser.cookies.get('orchard_passkey')!;
    expect((await browser.call('POST', '/api/auth/passkey/login', { response })).statusCode).toBe(200);
    // The same answer again, with the same binding cookie put back.
    browser.cookies.set('orchard_passkey', binding);
    const replay = await browser.call('POST', '/api/auth/passkey/login', { response });
    expect(replay.statusCode).toBe(401);
    expect(replay.headers['content-type']).toContain('application/problem+json');
    expect(replay.json().detail).toMatch(/already used/);
  });

  it("refuses another browser's challenge, and an answer without the binding cookie", async () => {
    const { authenticator } = await personWithPasskey();
    const victim = new InjectBrowser(t.http);
    const attacker = new InjectBrowser(t.http);
    await attacker.signInOptions();
    // The attacker relays the victim's challenge answered by the victim's authenticator.
    const answered = authenticator.signIn(await victim.signInOptions());
    const foreign = await attacker.call('POST', '/api/auth/passkey/login', { response: answered });
    expect(foreign.statusCode).toBe(401);
    expect(foreign.json().detail).toMatch(/challenge/);
    const bare = new InjectBrowser(t.http);
    const noCookie = await bare.call('POST', '/api/auth/passkey/login', { response: answered });
    expect(noCookie.statusCode).toBe(401);
    expect(noCookie.json().detail).toMatch(/no passkey request pending/);
    // The victim's own request still works: a failed answer elsewhere used nothing up.
    expect((await victim.call('POST', '/api/auth/passkey/login', { response: answered })).statusCode).toBe(
      200,
    );
  });

  it('refuses a challenge older than five minutes', async () => {
    const { authenticator } = await personWithPasskey();
    const browser = new InjectBrowser(t.http);
    const response = authenticator.signIn(await browser.signInOptions());
    clock.advance(5 * 60_000 + 1);
    const late = await browser.call('POST', '/api/auth/passkey/login', { response });
    expect(late.statusCode).toBe(401);
    expect(late.json().detail).toMatch(/expired/);
  });

  it('fails closed on another origin, another RP id, a forged challenge or no user verification', async () => {
    const { authenticator } = await personWithPasskey();
    const cases: Array<[Parameters<SoftAuthenticator['signIn']>[1], RegExp]> = [
      [{ origin: 'http://evil.test' }, /origin/],
      [{ origin: 'http://localhost:7301' }, /origin/],
      [{ rpId: 'evil.test' }, /RP ID/i],
      [{ challenge: 'Zm9yZ2Vk' }, /challenge/],
      [{ userVerified: false }, /verif/],
    ];
    for (const [tamper, why] of cases) {
      const browser = new InjectBrowser(t.http);
      const res = await browser.passkeySignIn(authenticator, tamper);
      expect(res.statusCode, JSON.stringify(tamper)).toBe(401);
      expect(res.json().detail, JSON.stringify(tamper)).toMatch(why);
      expect(browser.cookies.has('orchard_session')).toBe(false);
    }
  });

  it('refuses a signature counter that does not move forward (a cloned authenticator)', async () => {
    const { authenticator, passkey } = await personWithPasskey();
    const browser = new InjectBrowser(t.http);
    expect((await browser.passkeySignIn(authenticator, { counter: 7 })).statusCode).toBe(200);
    for (const counter of [7, 3, 0]) {
      const clone = await new InjectBrowser(t.http).passkeySignIn(authenticator, { counter });
      expect(clone.statusCode, `counter ${counter}`).toBe(401);
      expect(clone.json().detail).toMatch(/counter did not move forward/);
    }
    const [row] = await sql<{ counter: number }>('SELECT counter FROM passkeys WHERE id = $1', [passkey.id]);
    expect(row!.counter).toBe(7);
    expect((await new InjectBrowser(t.http).passkeySignIn(authenticator, { counter: 8 })).statusCode).toBe(
      200,
    );
  });

  it('accepts an authenticator whose counter is always 0', async () => {
    const { authenticator } = await personWithPasskey({ counter: 'zero' });
    for (let i = 0; i < 2; i++)
      expect((await new InjectBrowser(t.http).passkeySignIn(authenticator)).statusCode).toBe(200);
  });

  it('refuses a revoked passkey, a user handle of someone else, and a disabled account', async () => {
    const { person, authenticator, passkey } = await personWithPasskey();
    const other = await personWithPasskey();
    const handle = await new InjectBrowser(t.http).passkeySignIn(authenticator, {
      userHandle: Buffer.from(other.person.user.id),
    });
    expect(handle.statusCode).toBe(401);
    expect(handle.json().detail).toMatch(/another account/);

    await sql('UPDATE users SET disabled = true WHERE id = $1', [person.user.id]);
    const disabled = await new InjectBrowser(t.http).passkeySignIn(authenticator);
    expect(disabled.statusCode).toBe(401);
    expect(disabled.json().detail).toMatch(/disabled/);
    await sql('UPDATE users SET disabled = false WHERE id = $1', [person.user.id]);

    const owner = new InjectBrowser(t.http);
    await owner.password(person.user.username, person.password);
    await owner.addPasskey(new SoftAuthenticator(TEST_ORIGIN), 'second');
    expect((await owner.call('DELETE', `/api/passkeys/${passkey.id}`)).statusCode).toBe(200);
    const revoked = await new InjectBrowser(t.http).passkeySignIn(authenticator);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().detail).toMatch(/not registered with Orchard \(or was revoked\)/);
  });

  it('answers bad input with a problem naming the field', async () => {
    const browser = new InjectBrowser(t.http);
    await browser.signInOptions();
    const res = await browser.call('POST', '/api/auth/passkey/login', {
      response: { id: 'not base64url!', rawId: 'x', type: 'public-key', response: {} },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const fields = (res.json().errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.response.id', 'body.response.response.signature']));
  });

  it('needs a host name: an address is refused with what to do', async () => {
    const res = await new InjectBrowser(t.http, '127.0.0.1:7300').call('POST', '/api/auth/passkey/options');
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/host name.*localhost/);
  });
});

describe('the relying party follows the configured public URL', () => {
  it('asks for the public host, and refuses an answer made on the address the request came to', async () => {
    const pub = await createTestApp({ publicUrl: 'https://orchard.example.test' });
    try {
      const person = await pub.user('member');
      const browser = new InjectBrowser(pub.http);
      await browser.password(person.user.username, person.password);
      const options = await browser.registrationOptions();
      expect(options.rp.id).toBe('orchard.example.test');
      const local = new SoftAuthenticator(TEST_ORIGIN);
      const wrong = await browser.call('POST', '/api/passkeys', {
        name: 'local',
        response: local.register(options),
      });
      expect(wrong.statusCode).toBe(422);
      expect(wrong.json().detail).toMatch(
        /origin "http:\/\/localhost:7300", expected "https:\/\/orchard.example.test"/,
      );
      const right = await browser.addPasskey(new SoftAuthenticator('https://orchard.example.test'), 'public');
      expect(right.statusCode, right.body).toBe(201);
    } finally {
      await pub.close();
    }
  });
});

describe('rate limits', () => {
  it('counts passkey sign-in against the same per-IP login bucket as password login', async () => {
    const limited = await createTestApp({ 'rateLimit.loginPerMinute': 3 });
    try {
      const browser = new InjectBrowser(limited.http);
      const statuses = [];
      for (let i = 0; i < 2; i++)
        statuses.push((await browser.call('POST', '/api/auth/passkey/options')).statusCode);
      statuses.push(
        (await browser.call('POST', '/api/auth/login', { login: 'x', password: 'y' })).statusCode,
      );
      const refused = await browser.call('POST', '/api/auth/passkey/login', { response: {} });
      expect(statuses).toEqual([200, 200, 401]);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });
});
