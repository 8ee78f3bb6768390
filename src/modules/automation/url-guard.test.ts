import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../platform/net/address-ranges.ts';
import { BlockedUrlError, createUrlGuard, type GuardVerdict, type UrlGuardOptions } from './url-guard.ts';

/** A resolver with fixed answers, counting lookups. */
function fakeDns(answers: Record<string, string[]>) {
  const calls: string[] = [];
  return {
    calls,
    resolve: async (host: string) => {
      calls.push(host);
      const found = answers[host];
      if (!found) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
      return found;
    },
  };
}

const dns = fakeDns({ localhost: ['127.0.0.1', '::1'] });
const guard = (options: UrlGuardOptions = {}) => createUrlGuard({ resolve: dns.resolve, ...options });
const reason = (v: GuardVerdict) => (v.allowed ? 'allowed' : v.reason);

describe('URL guard', () => {
  it('allows exactly the environment under verification: its host labels and its direct port', async () => {
    const g = guard({
      environment: [
        { hostname: 'staging--shop.localhost', port: 7300 },
        { hostname: 'Staging--Shop.apps.example.com', port: 7300 },
        { hostname: '127.0.0.1', port: 4100 },
        { hostname: 'localhost', port: 4100 },
      ],
      resolve: fakeDns({ localhost: ['127.0.0.1'], 'staging--shop.apps.example.com': ['10.1.2.3'] }).resolve,
    });
    expect(await g.check('http://staging--shop.localhost:7300/photos')).toEqual({
      allowed: true,
      why: 'environment',
      addresses: ['127.0.0.1'],
    });
    expect(await g.check('http://staging--shop.apps.example.com:7300/')).toMatchObject({
      allowed: true,
      addresses: ['10.1.2.3'],
    });
    expect(await g.check('http://127.0.0.1:4100/')).toMatchObject({
      allowed: true,
      addresses: ['127.0.0.1'],
    });
    expect(await g.check('http://localhost:4100/')).toMatchObject({ allowed: true });
    expect(await g.check('http://staging--shop.localhost.:7300/')).toMatchObject({ allowed: true });
    for (const url of [
      'http://staging--shop.localhost:7301/',
      // Orchard's own UI and API are not the environment: the robot has no business there.
      'http://localhost:7300/api/projects',
      'http://127.0.0.1:7300/api/projects',
      'http://[::1]:7300/',
      'http://admin.localhost:7300/api/projects',
      // Nor are other projects' environments, on Orchard's port or their own.
      'http://staging--other.localhost:7300/',
      'http://preview-x--shop.localhost:7300/',
      'http://127.0.0.1:4101/',
      'http://[::1]:4100/',
      'http://192.168.1.1:4100/',
    ]) {
      expect([url, reason(await g.check(url))]).toEqual([
        url,
        expect.stringMatching(/is not the environment under verification and not in automation.allowHosts$/),
      ]);
    }
  });

  it('allows nothing of Orchard without an environment', async () => {
    const g = guard();
    for (const url of [
      'http://staging--shop.localhost:7300/',
      'http://localhost:7300/',
      'http://127.0.0.1:4100/',
    ])
      expect((await g.check(url)).allowed, url).toBe(false);
  });

  it('refuses private, link-local and metadata addresses, whichever way they are written', async () => {
    const g = guard();
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/',
      'http://10.0.0.1/',
      'http://[fd00::1]/',
      'http://[::ffff:169.254.169.254]/',
      'http://2130706433/', // 127.0.0.1 as a number: URL parsing normalizes it
      'http://0x7f.1/',
    ]) {
      expect((await g.check(url)).allowed, url).toBe(false);
    }
    expect(classifyAddress('169.254.169.254')).toBe('metadata');
    expect(classifyAddress('fd00:0ec2:0:0::254')).toBe('metadata');
    expect(classifyAddress('::ffff:169.254.169.254')).toBe('metadata');
    expect(classifyAddress('fd12:3456::1')).toBe('private');
    expect(classifyAddress('fe80::1')).toBe('private');
    expect(classifyAddress('93.184.216.34')).toBe('public');
    expect(classifyAddress('not-an-ip')).toBe('private');
  });

  it('checks every address an allow-listed host resolves to', async () => {
    const answers = fakeDns({
      'docs.example.com': ['93.184.216.34'],
      'mixed.example.com': ['93.184.216.34', '192.168.1.10'],
      'intranet.example.com': ['10.0.0.5'],
      'v6.example.com': ['fd00::1'],
      'meta.example.com': ['169.254.169.254'],
    });
    const allowHosts = ['*.example.com'];
    const g = guard({ allowHosts, resolve: answers.resolve });
    expect(await g.check('https://docs.example.com/guide')).toEqual({
      allowed: true,
      why: 'allow-listed',
      addresses: ['93.184.216.34'],
    });
    expect(reason(await g.check('https://mixed.example.com/'))).toBe(
      'mixed.example.com resolves to 192.168.1.10, a private, loopback or link-local address (set automation.allowPrivate to allow it)',
    );
    expect(reason(await g.check('https://intranet.example.com/'))).toMatch(/10\.0\.0\.5, a private/);
    expect(reason(await g.check('https://v6.example.com/'))).toMatch(/fd00::1, a private/);
    expect(reason(await g.check('https://nowhere.example.com/'))).toMatch(/ENOTFOUND/);

    const permissive = guard({ allowHosts, allowPrivate: true, resolve: answers.resolve });
    expect((await permissive.check('https://intranet.example.com/')).allowed).toBe(true);
    // Metadata endpoints hand out credentials: refused even when private targets are allowed.
    expect(reason(await permissive.check('http://meta.example.com/'))).toMatch(
      /169\.254\.169\.254, a cloud metadata address/,
    );
    const literal = guard({ allowHosts: ['169.254.169.254'], allowPrivate: true });
    expect(reason(await literal.check('http://169.254.169.254/'))).toMatch(/cloud metadata/);
  });

  it('refuses hosts that are not allow-listed, and matches patterns by subdomain and port', async () => {
    const answers = fakeDns({
      'example.com': ['93.184.216.34'],
      'a.example.com': ['93.184.216.34'],
      'api.test.dev': ['93.184.216.35'],
    });
    const g = guard({ allowHosts: ['*.example.com', 'api.test.dev:8443'], resolve: answers.resolve });
    expect(reason(await g.check('https://evil.com/'))).toBe(
      'evil.com:443 is not the environment under verification and not in automation.allowHosts',
    );
    expect((await g.check('https://a.example.com/')).allowed).toBe(true);
    expect((await g.check('https://example.com/')).allowed).toBe(false);
    expect((await g.check('https://api.test.dev:8443/')).allowed).toBe(true);
    expect((await g.check('https://api.test.dev/')).allowed).toBe(false);
    expect(() => guard({ allowHosts: ['http://x.com/'] })).toThrow(/not a host name/);
  });

  it('refuses other protocols and URLs with credentials', async () => {
    const g = guard({ allowHosts: ['example.com'] });
    expect(reason(await g.check('file:///etc/passwd'))).toBe('file: URLs are not allowed');
    expect(reason(await g.check('javascript:alert(1)'))).toBe('javascript: URLs are not allowed');
    expect(reason(await g.check('ftp://example.com/'))).toBe('ftp: URLs are not allowed');
    expect(reason(await g.check('http://user:pw@example.com/'))).toBe(
      'URLs with credentials are not allowed',
    );
    expect(reason(await g.check('not a url'))).toBe('not a valid URL');
  });

  it('resolves a host once per task, so a changed DNS answer (rebinding) does not change the verdict', async () => {
    let answer = ['93.184.216.34'];
    let lookups = 0;
    const g = guard({
      allowHosts: ['rebind.example'],
      resolve: async () => {
        lookups++;
        return answer;
      },
    });
    const first = await g.check('http://rebind.example/a');
    answer = ['127.0.0.1'];
    const second = await g.check('http://rebind.example/b');
    expect(second).toEqual(first);
    expect(second).toMatchObject({ allowed: true, addresses: ['93.184.216.34'] });
    expect(lookups).toBe(1);
  });

  it('assert throws a 403 BlockedUrlError naming the URL and the reason', async () => {
    const error = await guard()
      .assert('http://169.254.169.254/')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockedUrlError);
    expect(error).toMatchObject({
      status: 403,
      message: expect.stringMatching(/^The browser may not visit http:\/\/169\.254\.169\.254\/: /),
    });
  });
});

describe('URL guard with publicHosts (design references)', () => {
  const answers = fakeDns({
    'shop.example.com': ['93.184.216.34'],
    'intranet.example.com': ['10.0.0.5'],
    'mixed.example.com': ['93.184.216.34', '192.168.1.10'],
    localhost: ['127.0.0.1'],
  });
  const g = guard({ publicHosts: true, resolve: answers.resolve });

  it('lets any host through whose every address is public', async () => {
    expect(await g.check('https://shop.example.com/pricing')).toEqual({
      allowed: true,
      why: 'public',
      addresses: ['93.184.216.34'],
    });
    expect(await g.check('http://93.184.216.34/')).toMatchObject({ allowed: true, why: 'public' });
  });

  it('refuses private, loopback and metadata addresses, saying how to allow a private one', async () => {
    for (const url of [
      'http://intranet.example.com/',
      'http://mixed.example.com/',
      'http://localhost:7300/',
    ]) {
      expect(reason(await g.check(url)), url).toMatch(
        /a private, loopback or link-local address \(add it to automation\.allowHosts and set automation\.allowPrivate to allow it\)$/,
      );
    }
    expect(reason(await g.check('http://169.254.169.254/'))).toMatch(/a cloud metadata address$/);
    expect(reason(await g.check('file:///etc/passwd'))).toBe('file: URLs are not allowed');
  });

  it('still needs allowHosts and allowPrivate for a private host', async () => {
    const allowed = guard({
      publicHosts: true,
      allowHosts: ['intranet.example.com'],
      allowPrivate: true,
      resolve: answers.resolve,
    });
    expect(await allowed.check('http://intranet.example.com/')).toMatchObject({
      allowed: true,
      why: 'allow-listed',
    });
  });
});
