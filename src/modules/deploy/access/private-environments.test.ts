import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../../../test/app.ts';
import { addMember } from '../../../../test/git.ts';
import { type DeployFixture, deployFixture } from '../../../../test/support/deploy-fixture.ts';
import { ManualClock } from '../../../platform/clock.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { deployRef } from '../releases/deploy-ref.ts';
import { robotAccessCookies } from './robot-access.ts';

/**
 * Private environments through Orchard's real proxy: staging answers 401 or a redirect to Orchard
 * without access, 200 with the cookie a member's one-time token or a share link is exchanged for,
 * and 401 again once the link expires; Orchard's own cookies never reach the app.
 */
let f: DeployFixture;
const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
const ctx = { actor: SYSTEM_ACTOR };
const HOUR = 3_600_000;
let stagingHost: string;
let stagingUrl: string;

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function get(host: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: f.port, path, headers: { host, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

const page = { accept: 'text/html', 'sec-fetch-dest': 'document' };
const cookieOf = (a: Answer) => String(a.headers['set-cookie'] ?? '').split(';')[0]!;
const pathOf = (location: string) => {
  const u = new URL(location);
  return `${u.pathname}${u.search}`;
};
const api = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, token = f.token, payload?: object) =>
  f.t.http.inject({ method, url, headers: bearer(token), payload });

/** A member's way in: Orchard's grant (a one-time token in the URL), exchanged for the cookie. */
async function signIn(token = f.token, path = '/') {
  const grant = await api(
    'GET',
    `/api/app-access?to=${encodeURIComponent(`${stagingUrl.slice(0, -1)}${path}`)}`,
    token,
  );
  expect(grant.statusCode, grant.body).toBe(302);
  const exchange = await get(stagingHost, pathOf(grant.headers.location as string), page);
  expect(exchange.status).toBe(302);
  expect(exchange.headers.location).toBe(path);
  return { cookie: cookieOf(exchange), exchange, grantPath: pathOf(grant.headers.location as string) };
}

/** Until `check` holds or the deadline passes (the proxy trusts what it read for a few seconds). */
async function until(check: () => Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  f = await deployFixture({ 'deploy.privateByDefault': true }, { clock, slug: 'hidden' });
  const sha = await f.push('v1');
  const { environment } = await deployRef(f.t.res.deploy.deps, ctx, {
    slug: f.slug,
    env: 'staging',
    ref: sha,
  });
  stagingHost = `${environment.host_label}.localhost:${f.port}`;
  stagingUrl = `http://${stagingHost}/`;
});
afterAll(async () => f?.close());

describe('private environments', () => {
  it('answers a browser without access with a redirect to Orchard, anything else with a 401', async () => {
    const env = (await api('GET', `/api/projects/${f.slug}/environments/staging`)).json();
    expect(env.access).toBe('private');
    const browser = await get(stagingHost, '/orders?page=2', page);
    expect(browser.status).toBe(302);
    expect(browser.headers.location).toBe(
      `http://localhost:${f.port}/app-access?to=${encodeURIComponent(`http://${stagingHost}/orders?page=2`)}`,
    );
    const script = await get(stagingHost, '/info');
    expect(script.status).toBe(401);
    expect(script.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(script.body).detail).toMatch(/private: open it in a browser signed in to Orchard/);
    // Nothing of the app leaks: not its body, not its headers.
    expect(script.body).not.toContain('hello from');
  });

  it('lets a member in: a one-time token for the cookie, on the same path, and the app never sees Orchard’s cookies', async () => {
    const { cookie, exchange, grantPath } = await signIn(f.token, '/cookies');
    expect(cookie).toMatch(/^orchard_app_access=oac_/);
    expect(String(exchange.headers['set-cookie'])).toMatch(/HttpOnly; Max-Age=28800; SameSite=Lax$/);
    const cookies = `orchard_session=s3cr3t; ${cookie}; theme=dark; orchard_csrf=c5rf`;
    const answer = await get(stagingHost, '/cookies', { cookie: cookies });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('theme=dark');
    expect((await get(stagingHost, '/', { cookie })).body).toBe('hello from v1');
    // The token was used: a second try goes round through Orchard again.
    const again = await get(stagingHost, grantPath, page);
    expect(again.status).toBe(302);
    expect(again.headers.location).toMatch(/\/app-access\?to=/);
    // Framed by the Studio (another site on localhost): a partitioned cookie, the only kind kept there.
    const framed = await signIn();
    expect(framed.cookie).toMatch(/^orchard_app_access=/);
    const grant = await api('GET', `/api/app-access?to=${encodeURIComponent(stagingUrl)}`);
    const inFrame = await get(stagingHost, pathOf(grant.headers.location as string), {
      ...page,
      'sec-fetch-dest': 'iframe',
    });
    expect(String(inFrame.headers['set-cookie'])).toMatch(/SameSite=None; Secure; Partitioned$/);
  });

  it('refuses the grant to someone who may not read the project, and a token for another host', async () => {
    const outsider = await f.t.user();
    const refused = await api('GET', `/api/app-access?to=${encodeURIComponent(stagingUrl)}`, outsider.token);
    expect(refused.statusCode).toBe(403);
    const elsewhere = await api('GET', `/api/app-access?to=${encodeURIComponent('https://example.com/')}`);
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().detail).toMatch(/is not an Orchard environment's address/);
    const viewer = await f.t.user();
    await addMember(f.t, f.token, f.slug, viewer.user.username, 'viewer');
    const { cookie } = await signIn(viewer.token);
    expect((await get(stagingHost, '/', { cookie })).status).toBe(200);
    // A forged or unknown cookie is no way in.
    expect(
      (await get(stagingHost, '/', { cookie: 'orchard_app_access=oac_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }))
        .status,
    ).toBe(401);
  });

  it('lets anyone with a share link in until it expires, then answers 401 again', async () => {
    const created = await api('POST', `/api/projects/${f.slug}/environments/staging/share-links`, f.token, {
      expiresInHours: 2,
      note: 'for the client',
    });
    expect(created.statusCode, created.body).toBe(201);
    const link = created.json();
    expect(link).toMatchObject({ note: 'for the client', active: true });
    expect(link.url).toMatch(new RegExp(`^http://${stagingHost}/\\?__orchard_access=oas_`));
    const opened = await get(stagingHost, pathOf(link.url), page);
    expect(opened.status).toBe(302);
    const cookie = cookieOf(opened);
    expect((await get(stagingHost, '/', { cookie })).body).toBe('hello from v1');
    // The link works more than once until it expires (each visitor gets a cookie of their own).
    expect((await get(stagingHost, pathOf(link.url), page)).status).toBe(302);
    const listed = (await api('GET', `/api/projects/${f.slug}/environments/staging/share-links`)).json();
    expect(listed.items.map((l: { id: string }) => l.id)).toContain(link.id);
    expect(JSON.stringify(listed)).not.toContain('oas_');

    clock.advance(2 * HOUR + 1_000);
    await until(async () => (await get(stagingHost, '/', { cookie })).status === 401);
    const expired = await get(stagingHost, pathOf(link.url), page);
    expect(expired.status).toBe(401);
    expect(expired.body).toContain('This link has expired');
  });

  it('ends a revoked link’s access, and opens the environment to anyone when it is made public', async () => {
    const link = (
      await api('POST', `/api/projects/${f.slug}/environments/staging/share-links`, f.token, {
        expiresInHours: 1,
      })
    ).json();
    const cookie = cookieOf(await get(stagingHost, pathOf(link.url), page));
    expect((await get(stagingHost, '/', { cookie })).status).toBe(200);
    const revoked = await api(
      'DELETE',
      `/api/projects/${f.slug}/environments/staging/share-links/${link.id}`,
    );
    expect(revoked.statusCode).toBe(204);
    await until(async () => (await get(stagingHost, '/', { cookie })).status === 401);
    expect(
      (await api('DELETE', `/api/projects/${f.slug}/environments/staging/share-links/nope`)).statusCode,
    ).toBe(400);

    const developer = await f.t.user();
    await addMember(f.t, f.token, f.slug, developer.user.username, 'developer');
    const notAllowed = await api(
      'PUT',
      `/api/projects/${f.slug}/environments/staging/access`,
      developer.token,
      {
        access: 'public',
      },
    );
    expect(notAllowed.statusCode).toBe(403);
    const opened = await api('PUT', `/api/projects/${f.slug}/environments/staging/access`, f.token, {
      access: 'public',
    });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().access).toBe('public');
    await until(async () => (await get(stagingHost, '/')).status === 200);
    // Still without Orchard's cookies.
    expect((await get(stagingHost, '/cookies', { cookie: 'orchard_session=s3cr3t; a=1' })).body).toBe('a=1');
    const audit = await f.t.res.db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE action LIKE 'environment.%' ORDER BY id",
    );
    expect(audit.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'environment.share_link.create',
        'environment.share_link.revoke',
        'environment.access',
      ]),
    );
    await api('PUT', `/api/projects/${f.slug}/environments/staging/access`, f.token, { access: 'private' });
    await until(async () => (await get(stagingHost, '/')).status === 401);
  });

  it('gives Orchard’s browser robot a cookie of its own for a private environment, none for a public one', async () => {
    const deps = { db: f.t.res.db, config: f.t.config, urls: f.t.res.deploy.urls, clock };
    const [robot] = await robotAccessCookies(deps, `${stagingUrl}orders`);
    expect(robot).toMatchObject({ name: 'orchard_app_access', url: `http://${stagingHost}` });
    expect((await get(stagingHost, '/', { cookie: `${robot!.name}=${robot!.value}` })).status).toBe(200);
    expect(await robotAccessCookies(deps, 'https://example.com/')).toEqual([]);
  });

  it('refuses a websocket to a private environment without access', async () => {
    const status = await new Promise<string>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: f.port,
        path: '/',
        headers: { host: stagingHost, connection: 'Upgrade', upgrade: 'echo' },
      });
      req.on('response', (res) => resolve(String(res.statusCode)));
      req.on('upgrade', () => resolve('101'));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe('401');
  });
});
