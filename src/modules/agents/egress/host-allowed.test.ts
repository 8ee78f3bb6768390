import { describe, expect, it } from 'vitest';
import { hostAllowed } from './host-allowed.ts';

describe('network.allow matching', () => {
  const allow = ['registry.npmjs.org', '*.pypi.org', 'git.example.com:8443'];

  it('lets a listed host through on 443 and 80, and no other port unless the entry names it', () => {
    expect(hostAllowed(allow, 'registry.npmjs.org', 443)).toBe(true);
    expect(hostAllowed(allow, 'registry.npmjs.org', 80)).toBe(true);
    expect(hostAllowed(allow, 'registry.npmjs.org', 22)).toBe(false);
    expect(hostAllowed(allow, 'git.example.com', 8443)).toBe(true);
    expect(hostAllowed(allow, 'git.example.com', 443)).toBe(false);
  });

  it('matches names exactly, as DNS compares them (case, a trailing dot)', () => {
    expect(hostAllowed(allow, 'REGISTRY.npmjs.org.', 443)).toBe(true);
    expect(hostAllowed(allow, 'evil-registry.npmjs.org', 443)).toBe(false);
    expect(hostAllowed(allow, 'registry.npmjs.org.evil.com', 443)).toBe(false);
    expect(hostAllowed(allow, 'npmjs.org', 443)).toBe(false);
  });

  it('lets *.name through for its subdomains, not for name itself nor look-alikes', () => {
    expect(hostAllowed(allow, 'files.pypi.org', 443)).toBe(true);
    expect(hostAllowed(allow, 'a.b.pypi.org', 443)).toBe(true);
    expect(hostAllowed(allow, 'pypi.org', 443)).toBe(false);
    expect(hostAllowed(allow, 'notpypi.org', 443)).toBe(false);
  });

  it('lets nothing through with an empty list', () => {
    expect(hostAllowed([], 'registry.npmjs.org', 443)).toBe(false);
  });
});
