import { createHash, createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  signInAtIssuer,
  startTestIssuer,
  type TestIssuer,
} from '../../../../test/support/oidc-test-issuer.ts';

/**
 * The generated apps' OpenID Connect client (`templates/services/signin/lib/sign-in.js`) in small
 * node:http apps, against a real OpenID provider (oidc-provider, devInteractions): the app is driven
 * with fetch as a browser would (cookies kept per browser), the provider's login and consent pages by
 * signInAtIssuer. The main app reaches the token, UserInfo and JWKS endpoints through a TCP relay on
 * another port, as an app in Orchard's sandbox does.
 */

type Claims = Record<string, unknown>;
interface SignIn {
  enabled: boolean;
  settings?: { issuer: string; clientId: string; redirectUri: string };
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  user(req: IncomingMessage): Claims | null;
  requireUser(req: IncomingMessage, res: ServerResponse): Claims | null;
  loginUrl(next?: string): string;
}
interface SignInOptions {
  scope?: string;
  sessionSeconds?: number;
  skewSeconds?: number;
  now?: () => number;
}
interface SignInLib {
  createSignIn(env?: Record<string, string | undefined>, options?: SignInOptions): SignIn;
  safeNext(next: unknown): string;
  verifyIdToken(
    idToken: string,
    expected: { keys: object[]; issuer: string; clientId: string; nonce?: string; now?: number },
  ): Claims;
}

const LIB_PATH = new URL('../../../../templates/services/signin/lib/sign-in.js', import.meta.url);
const CLIENT_ID = 'shop-app';
const SECRET = 'sign-in-lib-test-client-secret';

/** A small app using the lib: /me (the user as JSON), /private (sign-in required), / otherwise. */
interface TestApp {
  origin: string;
  signIn: SignIn;
  configure(env: Record<string, string | undefined>, options?: SignInOptions): void;
  close(): Promise<void>;
}

async function startApp(lib: SignInLib): Promise<TestApp> {
  let signIn: SignIn | undefined;
  const server = createServer(async (req, res) => {
    if (!signIn) throw new Error('the app is not configured');
    if (await signIn.handle(req, res)) return;
    const path = new URL(req.url ?? '/', 'http://app').pathname;
    if (path === '/me') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(signIn.user(req)));
    } else if (path === '/private') {
      const user = signIn.requireUser(req, res);
      if (user) res.end(`Hello ${String(user.email)}`);
    } else {
      res.writeHead(path === '/' ? 200 : 404).end(`the app answers ${path}`);
    }
  });
  await listen(server);
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get signIn() {
      if (!signIn) throw new Error('the app is not configured');
      return signIn;
    },
    configure(env, options) {
      signIn = lib.createSignIn(env, options);
    },
    close: () => closeServer(server),
  };
}

const listen = (server: Server | net.Server) =>
  new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
const closeServer = (server: Server | net.Server) =>
  new Promise<void>((resolve) => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });

/** A browser's view of one app: its cookies, and each response unfollowed. */
class Browser {
  jar = new Map<string, string>();
  setCookies: string[] = [];

  async get(url: string) {
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    this.setCookies = res.headers.getSetCookie();
    for (const line of this.setCookies) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      if (/max-age=0/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, pair.slice(at + 1));
    }
    return { status: res.status, location: res.headers.get('location') ?? '', body: await res.text() };
  }

  cookie(prefix: string): [string, string] {
    const found = [...this.jar].find(([name]) => name.startsWith(prefix));
    if (!found) throw new Error(`no ${prefix} cookie in ${[...this.jar.keys()].join(', ')}`);
    return found;
  }

  async me(app: TestApp): Promise<Claims | null> {
    return JSON.parse((await this.get(`${app.origin}/me`)).body) as Claims | null;
  }
}

let lib: SignInLib;
let issuer: TestIssuer;
let other: TestIssuer;
let relay: net.Server;
let relayOrigin: string;
let relayConnections = 0;
let jwksServer: Server;
let jwksRequests = 0;
let discovery: Record<string, string>;
let main: TestApp;
let viaDiscovery: TestApp;
let foreignKeys: TestApp;
let rotatingKeys: TestApp;
let wrongIssuer: TestApp;
let strangerInfo: TestApp;
let clockOffset = 0;
const logged: string[] = [];
const codes: string[] = [];

/** Starts a sign-in at the app and completes it at the provider; returns the callback's answer. */
async function signInThrough(
  app: TestApp,
  browser: Browser,
  how: {
    login?: string;
    next?: string;
    authorization?: (url: URL) => void;
    callback?: (url: URL) => void;
    cancel?: boolean;
  } = {},
) {
  const started = await browser.get(
    `${app.origin}/auth/login${how.next === undefined ? '' : `?next=${encodeURIComponent(how.next)}`}`,
  );
  expect(started.status, started.body).toBe(303);
  const authorization = new URL(started.location);
  how.authorization?.(authorization);
  const back = await signInAtIssuer(authorization.href, how.login ?? 'ada', app.origin, {
    cancel: how.cancel ?? false,
  });
  const code = back.searchParams.get('code');
  if (code) codes.push(code);
  how.callback?.(back);
  return { started, authorization, back, answer: await browser.get(back.href) };
}

/** The environment Orchard gives an app: every endpoint, the back-channel ones through the relay. */
function orchardEnv(app: TestApp): Record<string, string> {
  const backChannel = (url: string) => url.replace(issuer.issuer, relayOrigin);
  return {
    OIDC_ISSUER: issuer.issuer,
    OIDC_AUTHORIZATION_ENDPOINT: discovery.authorization_endpoint!,
    OIDC_END_SESSION_ENDPOINT: discovery.end_session_endpoint!,
    OIDC_TOKEN_ENDPOINT: backChannel(discovery.token_endpoint!),
    OIDC_USERINFO_ENDPOINT: backChannel(discovery.userinfo_endpoint!),
    OIDC_JWKS_URI: backChannel(discovery.jwks_uri!),
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: SECRET,
    OIDC_REDIRECT_URI: `${app.origin}/auth/callback`,
  };
}

beforeAll(async () => {
  lib = (await import(pathToFileURL(LIB_PATH.pathname).href)) as SignInLib;
  for (const level of ['warn', 'error', 'log', 'info'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.stack}` : String(a))).join(' '));
    });
  }
  issuer = await startTestIssuer();
  other = await startTestIssuer();
  issuer.accounts.set('ada', { email: 'ada@example.com', email_verified: true, preferred_username: 'ada' });
  issuer.accounts.set('grace', {
    email: 'grace@example.com',
    email_verified: true,
    preferred_username: 'grace',
  });
  const issuerPort = Number(new URL(issuer.issuer).port);
  relay = net.createServer((socket) => {
    relayConnections++;
    const upstream = net.connect(issuerPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await listen(relay);
  relayOrigin = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
  // A JWKS that first lists only a retired key, then the provider's own (a rotation); and a
  // UserInfo endpoint that speaks of someone else.
  const retired = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
  jwksServer = createServer(async (req, res) => {
    if (req.url === '/userinfo') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ sub: 'mallory', email: 'mallory@example.com' }));
    }
    jwksRequests++;
    const keys =
      jwksRequests === 1
        ? { keys: [{ ...retired, kid: 'retired', use: 'sig', alg: 'RS256' }] }
        : await (await fetch(discovery.jwks_uri!)).json();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keys));
  });
  await listen(jwksServer);

  [main, viaDiscovery, foreignKeys, rotatingKeys, wrongIssuer, strangerInfo] = await Promise.all([
    startApp(lib),
    startApp(lib),
    startApp(lib),
    startApp(lib),
    startApp(lib),
    startApp(lib),
  ]);
  const apps = [main, viaDiscovery, foreignKeys, rotatingKeys, wrongIssuer, strangerInfo];
  issuer.serve([
    {
      client_id: CLIENT_ID,
      client_secret: SECRET,
      redirect_uris: apps.map((app) => `${app.origin}/auth/callback`),
      post_logout_redirect_uris: apps.map((app) => app.origin),
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ]);
  other.serve([]);
  discovery = (await (await fetch(`${issuer.issuer}/.well-known/openid-configuration`)).json()) as Record<
    string,
    string
  >;

  main.configure(orchardEnv(main), { now: () => Date.now() + clockOffset });
  viaDiscovery.configure({
    OIDC_ISSUER: issuer.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: SECRET,
    OIDC_REDIRECT_URI: `${viaDiscovery.origin}/auth/callback`,
  });
  // Another provider's keys, under the same kid ('test') as this provider's.
  foreignKeys.configure({ ...orchardEnv(foreignKeys), OIDC_JWKS_URI: `${other.issuer}/jwks` });
  const helper = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
  rotatingKeys.configure({ ...orchardEnv(rotatingKeys), OIDC_JWKS_URI: `${helper}/jwks` });
  strangerInfo.configure({ ...orchardEnv(strangerInfo), OIDC_USERINFO_ENDPOINT: `${helper}/userinfo` });
  // Configured for an issuer the tokens do not name (the relay's origin).
  wrongIssuer.configure({ ...orchardEnv(wrongIssuer), OIDC_ISSUER: relayOrigin });
});

afterAll(async () => {
  await Promise.all(
    [main, viaDiscovery, foreignKeys, rotatingKeys, wrongIssuer, strangerInfo].map((app) => app?.close()),
  );
  if (jwksServer) await closeServer(jwksServer);
  if (relay) await closeServer(relay);
  await issuer?.close();
  await other?.close();
  vi.restoreAllMocks();
});

beforeEach(() => {
  clockOffset = 0;
});

/** The log lines written since `from`, joined. */
const logSince = (from: number) => logged.slice(from).join('\n');

describe('sign-in', () => {
  it('signs a person in with PKCE S256, state and nonce, and user(req) returns their claims', async () => {
    const browser = new Browser();
    expect(await browser.me(main)).toBeNull();
    const before = relayConnections;
    const { authorization, answer } = await signInThrough(main, browser);

    expect(authorization.origin + authorization.pathname).toBe(discovery.authorization_endpoint);
    const params = Object.fromEntries(authorization.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${main.origin}/auth/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    expect(params.code_challenge).toMatch(/^[\w-]{43}$/);
    expect(params.state).toMatch(/^[\w-]{43}$/);
    expect(params.nonce).toMatch(/^[\w-]{43}$/);
    expect(params.state).not.toBe(params.nonce);

    expect(answer.status, answer.body).toBe(303);
    expect(answer.location).toBe('/');
    const session = browser.setCookies.find((c) => c.startsWith('sign_in_session_'));
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).not.toMatch(/Secure/);
    expect(session).toMatch(/Max-Age=28800/);
    // The flow cookie is spent.
    expect(browser.setCookies.some((c) => c.startsWith('sign_in_flow_') && /Max-Age=0/.test(c))).toBe(true);

    const me = await browser.me(main);
    expect(me).toMatchObject({
      sub: 'ada',
      email: 'ada@example.com',
      email_verified: true,
      preferred_username: 'ada',
    });
    for (const claim of ['iss', 'aud', 'exp', 'iat', 'nonce', 'at_hash'])
      expect(me).not.toHaveProperty(claim);
    const page = await browser.get(`${main.origin}/private`);
    expect(page).toMatchObject({ status: 200, body: 'Hello ada@example.com' });
    // The token exchange, UserInfo and JWKS went through the relay, not to the issuer's origin.
    expect(relayConnections).toBeGreaterThan(before);
  });

  it('sets the flow cookie HttpOnly, SameSite=Lax and short-lived', async () => {
    const browser = new Browser();
    const started = await browser.get(`${main.origin}/auth/login`);
    expect(started.status).toBe(303);
    const [flow] = browser.setCookies;
    expect(flow).toMatch(
      /^sign_in_flow_[0-9a-f]{8}=[\w-]+\.[\w-]+; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax$/,
    );
  });

  it('returns to next after sign-in, only when it is a path on this app', async () => {
    const kept = await signInThrough(main, new Browser(), { next: '/private?tab=2#top' });
    expect(kept.answer).toMatchObject({ status: 303, location: '/private?tab=2#top' });
    const offSite = await signInThrough(main, new Browser(), { next: '//evil.example/steal' });
    expect(offSite.answer).toMatchObject({ status: 303, location: '/' });
    for (const next of [
      'https://evil.example/',
      '/\\evil.example',
      '/\t/evil.example',
      'private',
      '/auth/logout',
    ])
      expect(lib.safeNext(next), next).toBe('/');
    expect(lib.safeNext('/orders?page=2')).toBe('/orders?page=2');

    // A page that needs sign-in sends the browser to sign in, back to itself after.
    const anonymous = await new Browser().get(`${main.origin}/private?tab=3`);
    expect(anonymous).toMatchObject({ status: 303, location: '/auth/login?next=%2Fprivate%3Ftab%3D3' });
  });

  it('refuses a tampered, forged, misnamed or expired session cookie', async () => {
    const browser = new Browser();
    await signInThrough(main, browser, { login: 'grace' });
    expect((await browser.me(main))?.email).toBe('grace@example.com');
    const [name, value] = browser.cookie('sign_in_session_');
    const [payload = '', mac = ''] = value.split('.');
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      user: Claims;
      exp: number;
    };
    expect(data.user.email).toBe('grace@example.com');

    const tampered = Buffer.from(
      JSON.stringify({ ...data, user: { ...data.user, email: 'eve@example.com' } }),
    ).toString('base64url');
    const withCookie = (cookie: string) => {
      const b = new Browser();
      b.jar.set(name, cookie);
      return b.me(main);
    };
    expect(await withCookie(`${tampered}.${mac}`)).toBeNull();
    const forgedMac = createHmac('sha256', 'not-the-key').update(`${name}=${tampered}`).digest('base64url');
    expect(await withCookie(`${tampered}.${forgedMac}`)).toBeNull();
    expect(await withCookie(tampered)).toBeNull();
    expect(await withCookie(`${payload}.${mac.slice(0, -2)}`)).toBeNull();
    // A genuine flow cookie is no session cookie (the MAC covers the name).
    const starter = new Browser();
    await starter.get(`${main.origin}/auth/login`);
    expect(await withCookie(starter.cookie('sign_in_flow_')[1])).toBeNull();
    // The genuine cookie still works, until the session expires (8 hours).
    expect((await withCookie(value))?.email).toBe('grace@example.com');
    clockOffset = 8 * 3600 * 1000 + 1000;
    expect(await withCookie(value)).toBeNull();
  });

  it('answers a wrong state, a sign-in not started here and a cancelled sign-in with a 4xx page', async () => {
    const from = logged.length;
    const browser = new Browser();
    const wrongState = await signInThrough(main, browser, {
      callback: (url) => url.searchParams.set('state', 'x'.repeat(43)),
    });
    expect(wrongState.answer.status).toBe(400);
    expect(wrongState.answer.body).toMatch(/does not belong to the sign-in started here/);
    expect(await browser.me(main)).toBeNull();
    const code = wrongState.back.searchParams.get('code')!;
    expect(wrongState.answer.body).not.toContain(code);
    expect(wrongState.answer.body).not.toContain(SECRET);

    // The callback in a browser that never started a sign-in (as a forged link would arrive).
    const elsewhere = await signInThrough(main, new Browser());
    const stranger = new Browser();
    const answer = await stranger.get(elsewhere.back.href);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/started in another browser/);
    expect(await stranger.me(main)).toBeNull();

    const cancelled = await signInThrough(main, new Browser(), { cancel: true });
    expect(cancelled.back.searchParams.get('error')).toBe('access_denied');
    expect(cancelled.answer.status).toBe(403);
    expect(cancelled.answer.body).toMatch(/<h1>Sign-in cancelled<\/h1>/);
    expect(logSince(from)).toMatch(/the state does not match[\s\S]*access_denied/);
  });

  it("refuses an ID token whose nonce is not this sign-in's", async () => {
    const from = logged.length;
    const browser = new Browser();
    const { answer } = await signInThrough(main, browser, {
      authorization: (url) => url.searchParams.set('nonce', 'a-nonce-from-another-sign-in'),
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/ID token this app cannot accept/);
    expect(logSince(from)).toMatch(/the ID token answers another sign-in \(nonce\)/);
    expect(await browser.me(main)).toBeNull();
  });

  it('refuses a sign-in whose code the provider will not exchange (PKCE verifier of another sign-in)', async () => {
    const from = logged.length;
    const browser = new Browser();
    const challenge = createHash('sha256').update('another-verifier').digest('base64url');
    const { answer } = await signInThrough(main, browser, {
      authorization: (url) => url.searchParams.set('code_challenge', challenge),
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/did not accept this sign-in/);
    expect(logSince(from)).toMatch(/the token endpoint answered 400 invalid_grant/);
    expect(await browser.me(main)).toBeNull();
  });

  it('refuses an ID token issued in the future (beyond the allowed skew)', async () => {
    const from = logged.length;
    clockOffset = -5 * 60 * 1000;
    const browser = new Browser();
    const { answer } = await signInThrough(main, browser);
    expect(answer.status).toBe(400);
    expect(logSince(from)).toMatch(/the ID token was issued in the future/);
    // One minute off is within the skew.
    clockOffset = -30 * 1000;
    expect((await signInThrough(main, browser)).answer.status).toBe(303);
    expect((await browser.me(main))?.sub).toBe('ada');
  });

  it('refuses an ID token signed by another key under the same kid', async () => {
    const from = logged.length;
    const browser = new Browser();
    const { answer } = await signInThrough(foreignKeys, browser);
    expect(answer.status).toBe(400);
    expect(logSince(from)).toMatch(/the ID token is not signed by the provider's keys/);
    expect(await browser.me(foreignKeys)).toBeNull();
  });

  it('fetches the keys again, once, when the token names a key it does not know', async () => {
    const browser = new Browser();
    const { answer } = await signInThrough(rotatingKeys, browser);
    expect(answer.status, answer.body).toBe(303);
    expect(jwksRequests).toBe(2);
    expect((await browser.me(rotatingKeys))?.email).toBe('ada@example.com');
    // Cached since.
    expect((await signInThrough(rotatingKeys, new Browser())).answer.status).toBe(303);
    expect(jwksRequests).toBe(2);
  });

  it('refuses an answer or an ID token from another issuer', async () => {
    const from = logged.length;
    const withIss = await signInThrough(wrongIssuer, new Browser());
    expect(withIss.back.searchParams.get('iss')).toBe(issuer.issuer);
    expect(withIss.answer.status).toBe(400);
    expect(logSince(from)).toMatch(/the iss parameter names another issuer/);
    // Without the RFC 9207 parameter the ID token's own iss is what refuses it.
    const browser = new Browser();
    const withoutIss = await signInThrough(wrongIssuer, browser, {
      callback: (url) => url.searchParams.delete('iss'),
    });
    expect(withoutIss.answer.status).toBe(400);
    expect(logSince(from)).toMatch(/the ID token comes from another issuer/);
    expect(await browser.me(wrongIssuer)).toBeNull();
  });

  it('refuses UserInfo claims about another subject than the ID token', async () => {
    const from = logged.length;
    const browser = new Browser();
    const { answer } = await signInThrough(strangerInfo, browser);
    expect(answer.status).toBe(400);
    expect(logSince(from)).toMatch(/UserInfo names another subject/);
    expect(await browser.me(strangerInfo)).toBeNull();
  });

  it("signs out: clears the cookie and sends the browser to the provider's end-session endpoint", async () => {
    const browser = new Browser();
    await signInThrough(main, browser);
    expect(await browser.me(main)).not.toBeNull();
    const out = await browser.get(`${main.origin}/auth/logout`);
    expect(out.status).toBe(303);
    const target = new URL(out.location);
    expect(target.origin + target.pathname).toBe(discovery.end_session_endpoint);
    expect(Object.fromEntries(target.searchParams)).toEqual({
      post_logout_redirect_uri: main.origin,
      client_id: CLIENT_ID,
    });
    expect(browser.setCookies.find((c) => c.startsWith('sign_in_session_'))).toMatch(/=; .*Max-Age=0/);
    expect(await browser.me(main)).toBeNull();
    // The provider accepts the request (it refuses an unregistered post_logout_redirect_uri with 400).
    const confirm = await fetch(target, { redirect: 'manual' });
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toMatch(/<form/);
  });

  it('falls back to discovery when only OIDC_ISSUER is set', async () => {
    expect(viaDiscovery.signIn.enabled).toBe(true);
    const browser = new Browser();
    const { authorization, answer } = await signInThrough(viaDiscovery, browser, {
      login: 'grace',
      next: '/private',
    });
    expect(authorization.origin + authorization.pathname).toBe(discovery.authorization_endpoint);
    expect(answer).toMatchObject({ status: 303, location: '/private' });
    expect((await browser.get(`${viaDiscovery.origin}/private`)).body).toBe('Hello grace@example.com');
    const out = await browser.get(`${viaDiscovery.origin}/auth/logout`);
    expect(out.location.startsWith(`${discovery.end_session_endpoint}?`)).toBe(true);
    expect(await browser.me(viaDiscovery)).toBeNull();
  });

  it('is off without the environment: no sign-in routes, no user, pages that need it answer 503', async () => {
    const from = logged.length;
    const off = lib.createSignIn({});
    expect(off.enabled).toBe(false);
    const app = await startApp(lib);
    try {
      app.configure({});
      const browser = new Browser();
      expect(await browser.get(`${app.origin}/auth/login`)).toMatchObject({
        status: 404,
        body: 'the app answers /auth/login',
      });
      expect(await browser.me(app)).toBeNull();
      expect((await browser.get(`${app.origin}/private`)).status).toBe(503);
    } finally {
      await app.close();
    }
    expect(logSince(from)).toBe('');
    // Half set up: off, and the log names what is missing (never a value).
    const half = lib.createSignIn({ OIDC_ISSUER: issuer.issuer, OIDC_CLIENT_SECRET: SECRET });
    expect(half.enabled).toBe(false);
    expect(logSince(from)).toBe('Sign-in is off: OIDC_CLIENT_ID, OIDC_REDIRECT_URI not set.');
    expect(lib.createSignIn({ OIDC_ISSUER: 'x', OIDC_CLIENT_ID: 'y', OIDC_CLIENT_SECRET: 'z' }).enabled).toBe(
      false,
    );
  });

  it('leaves other paths to the app and answers a wrong method with 405', async () => {
    const browser = new Browser();
    expect(await browser.get(`${main.origin}/auth/other`)).toMatchObject({ status: 404 });
    const post = await fetch(`${main.origin}/auth/callback`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });
});

describe('verifyIdToken', () => {
  const now = Date.now();
  const claims = {
    iss: 'https://issuer.example',
    aud: 'app',
    sub: 'ada',
    nonce: 'n',
    iat: now / 1000,
    exp: now / 1000 + 300,
  };
  const jwt = (header: object, body: object, signer: (input: Buffer) => Buffer) => {
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
    return `${input}.${signer(Buffer.from(input)).toString('base64url')}`;
  };
  const es256 = (key: KeyObject) => (input: Buffer) =>
    sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ecJwk = { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec', use: 'sig' };
  const expected = { keys: [ecJwk], issuer: 'https://issuer.example', clientId: 'app', nonce: 'n', now };

  it('accepts ES256 and refuses another EC key, alg none and HS256 made with the public key', () => {
    const token = jwt({ alg: 'ES256', kid: 'ec' }, claims, es256(ec.privateKey));
    expect(lib.verifyIdToken(token, expected)).toMatchObject({ sub: 'ada' });
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() =>
      lib.verifyIdToken(jwt({ alg: 'ES256', kid: 'ec' }, claims, es256(stranger.privateKey)), expected),
    ).toThrow(/ID token this app cannot accept/);
    expect(() =>
      lib.verifyIdToken(
        jwt({ alg: 'none' }, claims, () => Buffer.alloc(0)),
        expected,
      ),
    ).toThrow();
    const hs = jwt({ alg: 'HS256', kid: 'ec' }, claims, (input) =>
      createHmac('sha256', JSON.stringify(ecJwk)).update(input).digest(),
    );
    expect(() => lib.verifyIdToken(hs, expected)).toThrow();
  });

  it('checks the audience, azp, expiry and nonce', () => {
    const reason = (body: object) => {
      try {
        lib.verifyIdToken(jwt({ alg: 'ES256', kid: 'ec' }, body, es256(ec.privateKey)), expected);
        return 'accepted';
      } catch (error) {
        return (error as { reason: string }).reason;
      }
    };
    expect(reason({ ...claims, aud: 'another-app' })).toMatch(/another client/);
    expect(reason({ ...claims, aud: ['app', 'another-app'] })).toMatch(/azp/);
    expect(reason({ ...claims, aud: ['app', 'another-app'], azp: 'app' })).toBe('accepted');
    expect(reason({ ...claims, exp: now / 1000 - 61 })).toMatch(/expired/);
    expect(reason({ ...claims, exp: now / 1000 - 30 })).toBe('accepted');
    expect(reason({ ...claims, nonce: 'm' })).toMatch(/nonce/);
    expect(reason({ ...claims, sub: '' })).toMatch(/sub/);
  });
});

it('never writes the client secret or an authorization code to the log', () => {
  expect(logged.length).toBeGreaterThan(0);
  expect(codes.length).toBeGreaterThan(5);
  const log = logged.join('\n');
  expect(log).not.toContain(SECRET);
  for (const code of codes) expect(log).not.toContain(code);
});
