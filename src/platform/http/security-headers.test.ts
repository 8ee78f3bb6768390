import { describe, expect, it } from 'vitest';
import { securityHeaders } from './security-headers.ts';

describe('securityHeaders', () => {
  it('works out helmet’s headers once, with HSTS only when asked', () => {
    const csp = { useDefaults: false, directives: { defaultSrc: ["'self'"], objectSrc: ["'none'"] } };
    const plain = securityHeaders({ contentSecurityPolicy: csp, strictTransportSecurity: false });
    expect(plain).toMatchObject({
      'content-security-policy': "default-src 'self';object-src 'none'",
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
    });
    expect(plain['strict-transport-security']).toBeUndefined();
    const tls = securityHeaders({
      contentSecurityPolicy: csp,
      strictTransportSecurity: { maxAge: 15552000, includeSubDomains: true },
    });
    expect(tls['strict-transport-security']).toBe('max-age=15552000; includeSubDomains');
  });

  it('refuses an invalid option at start rather than on a request', () => {
    expect(() => securityHeaders({ xFrameOptions: { action: 'nowhere' as never } })).toThrow(
      /X-Frame-Options/,
    );
  });
});
