import { describe, expect, it } from 'vitest';
import { readClaims } from './oidc-claims.ts';

describe('reading a provider’s claims', () => {
  it('reads the subject, email, verification, preferred username and groups', () => {
    expect(
      readClaims(
        {
          sub: 'abc',
          email: 'a@corp.example',
          email_verified: true,
          preferred_username: 'ann',
          roles: ['b', 'a', 'b'],
        },
        'roles',
      ),
    ).toEqual({
      subject: 'abc',
      email: 'a@corp.example',
      emailVerified: true,
      preferredUsername: 'ann',
      groups: ['a', 'b'],
    });
  });

  it('takes email_verified only as true or "true", a single group as a list, and drops what cannot be stored', () => {
    const read = (claims: Record<string, unknown>) => readClaims({ sub: 's', ...claims }, 'groups');
    expect(read({ email_verified: 'true' }).emailVerified).toBe(true);
    for (const value of [false, 'false', 1, 'yes', undefined])
      expect(read({ email_verified: value }).emailVerified).toBe(false);
    expect(read({ groups: 'admins' }).groups).toEqual(['admins']);
    expect(read({ groups: { admins: true } }).groups).toEqual([]);
    expect(read({ groups: ['ok', 'nul\u0000', 7, 'x'.repeat(201), ' '] }).groups).toEqual(['ok']);
    expect(read({ email: 'not an email' }).email).toBeNull();
    expect(read({ nickname: 'nick' }).preferredUsername).toBe('nick');
  });

  it('refuses an answer without a usable subject', () => {
    for (const sub of [undefined, '', 42, 'x'.repeat(256)])
      expect(() => readClaims({ sub }, 'groups')).toThrow(
        expect.objectContaining({ code: 'provider_error' }),
      );
  });
});
