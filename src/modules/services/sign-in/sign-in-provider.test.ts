import { request as httpRequest } from 'node:http';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { addMember, createProjectAs, listenApp } from '../../../../test/git.ts';
import { ensureEnvironment } from '../../../../test/support/deploy-fixture.ts';
import { findProjectBySlug } from '../../projects/index.ts';
import { sweepSignInModels } from './provider-adapter.ts';

/**
 * The sign-in service end to end over HTTP: an app's environment gets its client at start
 * (`servicesEnv`), and a relying party (openid-client, as any app would use) signs a person in
 * through Orchard's provider — discovery, PKCE, the interaction that reads Orchard's session, the
 * code exchange with the client secret, the ES256 ID token, UserInfo — and is refused for people
 * outside the project, a wrong secret, and once the service is detached.
 */
let t: TestApp;
let base: string;
let owner: { token: string; username: string; password: string };
let outsider: { token: string; username: string; password: string };
let env: Record<string, string>;
let socket: string;
const slug = 'notes';

/** Cookies by name (paths are not modelled here: Chromium keeps them in e2e/app-sign-in.test.ts). */
type Jar = Map<string, string>;

async function get(url: string, jar: Jar) {
  const res = await fetch(url, {
    redirect: 'manual',
    headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';', 1);
    const at = pair!.indexOf('=');
    const name = pair!.slice(0, at);
    const value = pair!.slice(at + 1);
    if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name);
    else jar.set(name, value);
  }
  return res;
}

/** Follows redirects on Orchard's origin until one leaves it (the app's callback) or a page answers. */
async function follow(start: string, jar: Jar): Promise<{ url: string; status: number; body: string }> {
  let url = start;
  for (let hops = 0; hops < 10; hops++) {
    const res = await get(url, jar);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location)
      return { url, status: res.status, body: await res.text() };
    const next = new URL(location, url);
    if (next.origin !== new URL(base).origin && next.hostname !== 'localhost')
      return { url: next.href, status: res.status, body: '' };
    if (next.pathname === '/login' || next.port !== new URL(base).port)
      return { url: next.href, status: res.status, body: '' };
    url = next.href;
  }
  throw new Error('too many redirects');
}

async function sessionJar(person: { username: string; password: string }): Promise<Jar> {
  const login = await t.http.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login: person.username, password: person.password },
  });
  expect(login.statusCode).toBe(200);
  return new Map(login.cookies.map((c) => [c.name, c.value]));
}

async function configuration(secret = env.OIDC_CLIENT_SECRET!) {
  return client.discovery(new URL(env.OIDC_ISSUER!), env.OIDC_CLIENT_ID!, secret, undefined, {
    execute: [client.allowInsecureRequests],
  });
}

/** Starts a sign-in as an app does: returns the authorization URL and what to check at the callback. */
async function start(config: client.Configuration) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: env.OIDC_REDIRECT_URI!,
    scope: 'openid email profile',
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  return { url: url.href, verifier, state, nonce };
}

function overSocket(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ socketPath: socket, path, headers: { host: 'orchard' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const stagingOf = (projectId: string) =>
  ensureEnvironment(t.res.db, {
    projectId,
    name: 'staging',
    kind: 'staging',
    branch: 'main',
    hostLabel: `staging--${slug}`,
    now: new Date(),
  });

beforeAll(async () => {
  t = await createTestApp();
  base = await listenApp(t);
  await t.res.services.listen();
  const admin = await t.user('admin');
  const member = await t.user('member');
  const other = await t.user('member');
  owner = { token: admin.token, username: admin.user.username, password: admin.password };
  outsider = { token: other.token, username: other.user.username, password: other.password };
  await createProjectAs(t, admin.token, slug);
  await addMember(t, admin.token, slug, member.user.username, 'viewer');
  const attach = await t.http.inject({
    method: 'POST',
    url: `/api/projects/${slug}/services`,
    headers: bearer(admin.token),
    payload: { id: 'signin' },
  });
  expect(attach.statusCode, attach.body).toBe(201);
  const project = (await findProjectBySlug(t.res.db, slug))!;
  const staging = await stagingOf(project.id);
  const given = await t.res.services.envFor({ ...staging, slug });
  env = given.env;
  socket = given.relays.find((r) => r.socket.endsWith('oidc.sock'))!.socket;
}, 60_000);

afterAll(async () => t?.close());

describe('sign-in service', () => {
  it('gives each environment its client: the issuer’s URLs for the browser, the back channel on its loopback, the secret masked', async () => {
    const port = new URL(base).port;
    expect(env).toMatchObject({
      OIDC_ISSUER: `http://localhost:${port}/oidc`,
      OIDC_AUTHORIZATION_ENDPOINT: `http://localhost:${port}/oidc/auth`,
      OIDC_TOKEN_ENDPOINT: `http://127.0.0.1:${port}/oidc/token`,
      OIDC_JWKS_URI: `http://127.0.0.1:${port}/oidc/jwks`,
      OIDC_REDIRECT_URI: `http://staging--${slug}.localhost:${port}/auth/callback`,
    });
    expect(env.OIDC_CLIENT_ID).toMatch(/^staging--notes\.[0-9a-f]{8}$/);
    const again = await t.res.services.envFor({
      ...(await stagingOf((await findProjectBySlug(t.res.db, slug))!.id)),
      slug,
    });
    expect(again.env.OIDC_CLIENT_SECRET).toBe(env.OIDC_CLIENT_SECRET);
    expect(again.secrets).toContain(env.OIDC_CLIENT_SECRET);
  });

  it('signs a member in: PKCE, state, nonce, an ES256 ID token from Orchard, and their claims', async () => {
    const config = await configuration();
    expect(config.serverMetadata().id_token_signing_alg_values_supported).toEqual(['ES256']);
    const flow = await start(config);
    const jar = await sessionJar(owner);
    const back = await follow(flow.url, jar);
    expect(back.url.startsWith(env.OIDC_REDIRECT_URI!)).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(back.url), {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    });
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(env.OIDC_ISSUER);
    expect(claims.aud).toBe(env.OIDC_CLIENT_ID);
    const user = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(user).toMatchObject({ preferred_username: owner.username, orchard_role: 'owner' });
    expect(user.email).toMatch(/@example\.test$/);
    // The code is single-use.
    await expect(
      client.authorizationCodeGrant(config, new URL(back.url), {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('sends a browser without an Orchard session to the login, and back to the sign-in after it', async () => {
    const flow = await start(await configuration());
    const back = await follow(flow.url, new Map());
    const login = new URL(back.url);
    expect(login.pathname).toBe('/login');
    expect(login.searchParams.get('next')).toMatch(/^\/app-sign-in\/[\w-]+$/);
  });

  it('sends a browser whose sign-in is not waiting (expired, another browser’s) to a page that says so', async () => {
    const answer = await get(`${base}/api/app-sign-in/no-such-sign-in`, await sessionJar(owner));
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/app-sign-in/no-such-sign-in?expired=1');
  });

  it('sends someone outside the project back to the app with access_denied and the reason', async () => {
    const flow = await start(await configuration());
    const back = await follow(flow.url, await sessionJar(outsider));
    const answer = new URL(back.url);
    expect(answer.origin + answer.pathname).toBe(env.OIDC_REDIRECT_URI);
    expect(answer.searchParams.get('error')).toBe('access_denied');
    expect(answer.searchParams.get('error_description')).toContain(
      `${outsider.username} is not a member of the project "${slug}"`,
    );
  });

  it('refuses a wrong client secret at the token endpoint', async () => {
    const flow = await start(await configuration());
    const back = await follow(flow.url, await sessionJar(owner));
    const wrong = await configuration('not-the-secret');
    await expect(
      client.authorizationCodeGrant(wrong, new URL(back.url), {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
      }),
    ).rejects.toMatchObject({ error: 'invalid_client' });
  });

  it('serves only the back channel on the apps’ socket', async () => {
    const keys = await overSocket('/oidc/jwks');
    expect(keys.status).toBe(200);
    const jwks = JSON.parse(keys.body) as { keys: Array<Record<string, string>> };
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(jwks.keys[0]!.d).toBeUndefined();
    expect((await overSocket('/oidc/auth?client_id=x')).status).toBe(404);
    expect((await overSocket('/api/auth/me')).status).toBe(404);
  });

  it('keeps its models in PostgreSQL with an expiry, and sweeps them once expired', async () => {
    const count = async () =>
      Number((await t.res.db.query('SELECT count(*) AS n FROM sign_in_provider_models')).rows[0].n);
    expect(await count()).toBeGreaterThan(0);
    const { rows } = await t.res.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM sign_in_provider_models WHERE expires_at IS NULL',
    );
    expect(Number(rows[0]!.n)).toBe(0);
    expect(await sweepSignInModels(t.res.db, new Date())).toBe(0);
    await sweepSignInModels(t.res.db, new Date(Date.now() + 15 * 24 * 3600_000));
    expect(await count()).toBe(0);
  });

  it('forgets the app once the service is detached', async () => {
    const detach = await t.http.inject({
      method: 'DELETE',
      url: `/api/projects/${slug}/services/signin`,
      headers: bearer(owner.token),
    });
    expect(detach.statusCode, detach.body).toBeLessThan(300);
    const flow = await start(await configuration());
    const page = await follow(flow.url, await sessionJar(owner));
    expect(page.status).toBe(400);
    expect(page.body).toMatch(/client is invalid|invalid_client/i);
  });
});
