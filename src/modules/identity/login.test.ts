import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { login } from './login.ts';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './password.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

/** The real verifier, recording which stored hash each call checked. */
function countingVerifier() {
  const checked: Array<string | null> = [];
  const verify = async (password: string, stored: string | null) => {
    checked.push(stored);
    return verifyPassword(password, stored);
  };
  return { checked, verify };
}

const attempt = (login_: string, password: string, verify: typeof verifyPassword) =>
  login(t.res.db, t.res.clock, { login: login_, password, ttlHours: 1 }, { verifyPassword: verify });

describe('login', () => {
  it('runs one scrypt verification whether the user is unknown, disabled, or gave a wrong password', async () => {
    const known = await t.user('member');
    const disabled = await t.user('member');
    await t.res.db.query('UPDATE users SET disabled = true WHERE id = $1', [disabled.user.id]);

    const unknown = countingVerifier();
    await expect(attempt('nobody-by-this-name', 'some password', unknown.verify)).rejects.toThrow(
      'Wrong username or password.',
    );
    // Against a fixed hash of the same cost, so the answer takes as long as for a real user.
    expect(unknown.checked).toEqual([DUMMY_PASSWORD_HASH]);

    const wrong = countingVerifier();
    await expect(attempt(known.user.username, 'not the password', wrong.verify)).rejects.toThrow(
      'Wrong username or password.',
    );
    expect(wrong.checked).toEqual([known.user.password_hash]);

    const off = countingVerifier();
    await expect(attempt(disabled.user.username, disabled.password, off.verify)).rejects.toThrow(
      'Wrong username or password.',
    );
    expect(off.checked).toHaveLength(1);

    const right = countingVerifier();
    const ok = await attempt(known.user.email, known.password, right.verify);
    expect(ok.user.id).toBe(known.user.id);
    expect(right.checked).toEqual([known.user.password_hash]);
  });

  it('uses a dummy hash with the cost parameters of real ones, which no password matches', async () => {
    const cost = (hash: string) => hash.split('$').slice(0, 4);
    const known = await t.user('member');
    expect(cost(DUMMY_PASSWORD_HASH)).toEqual(cost(known.user.password_hash!));
    await expect(verifyPassword('', DUMMY_PASSWORD_HASH)).resolves.toBe(false);
    await expect(verifyPassword(known.password, DUMMY_PASSWORD_HASH)).resolves.toBe(false);
  });

  it('answers an unknown user exactly as a known user with a wrong password (status, body, headers)', async () => {
    const known = await t.user('member');
    const send = (name: string) =>
      t.http.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login: name, password: 'not the password at all' },
      });
    const a = await send(known.user.username);
    const b = await send('ghost-who-never-was');
    // What differs per request by design: its id, the clock and the rate limiter's countdown.
    const perRequest = /^(date|x-request-id|x-ratelimit-.*|content-length)$/;
    const headers = (r: typeof a) =>
      Object.fromEntries(Object.entries(r.headers).filter(([k]) => !perRequest.test(k)));
    const body = (r: typeof a) => ({ ...r.json(), requestId: undefined });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(a.statusCode);
    expect(body(b)).toEqual(body(a));
    expect(headers(b)).toEqual(headers(a));
    expect(b.headers['content-length']).toBe(
      String(Number(a.headers['content-length']) - a.json().requestId.length + b.json().requestId.length),
    );
  });
});
