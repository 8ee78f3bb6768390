import { describe, expect, it } from 'vitest';
import { structureHash, urlPattern } from './aria.ts';
import { REDACTED, redactHar } from './redact-captures.ts';
import { urlMatches } from './step-runner.ts';
import { createVariables, UnknownVariableError } from './variables.ts';

const secret = 'p@ss word/+&"ü';
const v = createVariables({ email: 'ada@example.test' }, { PASSWORD: secret });

describe('task variables', () => {
  it('fills placeholders at the last moment and refuses unknown ones', () => {
    expect(v.fill('%email% / %PASSWORD%')).toBe(`ada@example.test / ${secret}`);
    expect(() => v.fill('%nope%')).toThrow(UnknownVariableError);
    expect(v.usesSecret('%PASSWORD%')).toBe(true);
    expect(v.usesSecret('%email%')).toBe(false);
  });

  it('turns a secret back into its placeholder in every encoding a request may carry it', () => {
    const forms = [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ p: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString('base64').replace(/=+$/, ''),
    ];
    for (const form of forms) expect(v.redact(`before ${form} after`)).toBe('before %PASSWORD% after');
    // Byte for byte inside binary data, which stays intact around it.
    const binary = Buffer.concat([Buffer.from([0, 255, 1]), Buffer.from(secret), Buffer.from([254])]);
    const out = v.redactBuffer(binary);
    expect(out.includes(Buffer.from(secret))).toBe(false);
    expect([...out.subarray(0, 3)]).toEqual([0, 255, 1]);
    expect(out.at(-1)).toBe(254);
    const clean = Buffer.from('nothing here');
    expect(v.redactBuffer(clean)).toBe(clean);
  });

  it('clears credentials from a HAR and redacts secrets in its bodies', () => {
    const har = JSON.stringify({
      log: {
        entries: [
          {
            request: {
              url: `http://x/login?pw=${encodeURIComponent(secret)}`,
              headers: [
                { name: 'Cookie', value: 'sid=abc' },
                { name: 'Authorization', value: 'Bearer t0k3n' },
                { name: 'Accept', value: 'text/html' },
              ],
              cookies: [{ name: 'sid', value: 'abc' }],
              postData: { text: new URLSearchParams({ password: secret }).toString() },
            },
            response: { headers: [{ name: 'set-cookie', value: 'sid=def' }], cookies: [{ name: 'sid' }] },
          },
        ],
      },
    });
    const out = redactHar(har, v);
    expect(out).not.toContain('abc');
    expect(out).not.toContain('t0k3n');
    expect(out).not.toContain('def');
    expect(out).toContain(REDACTED);
    expect(out).toContain('text/html');
    expect(out).toContain('password=%PASSWORD%');
    expect(out).toContain('pw=%PASSWORD%');
  });
});

describe('action-cache keys', () => {
  it('drops origin, query and ids from the URL', () => {
    expect(urlPattern('http://a.localhost:7300/photos/42/edit?x=1')).toBe('/photos/*/edit');
    expect(urlPattern('http://b/orders/0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('/orders/*');
    expect(urlPattern('http://b/login')).toBe('/login');
  });

  it('hashes the structure of a page, not its refs, focus or what fields hold', () => {
    const a = '- textbox "Email" [ref=e5]\n- button "Sign in" [ref=e8]';
    const b =
      '- textbox "Email" [active] [ref=f1e5]: ada@example.test\n- button "Sign in" [ref=f1e8] [cursor=pointer]';
    expect(structureHash(a)).toBe(structureHash(b));
    expect(structureHash(a)).not.toBe(structureHash(a.replace('Sign in', 'Log in')));
  });

  it('matches expected URLs by path, full URL or pattern', () => {
    const url = new URL('http://x/account/7?tab=orders');
    expect(urlMatches(url, '/account/7?tab=orders')).toBe(true);
    expect(urlMatches(url, '/account/*')).toBe(true);
    expect(urlMatches(url, 'http://x/account/*')).toBe(true);
    expect(urlMatches(url, '/login')).toBe(false);
  });
});
