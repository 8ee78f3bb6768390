import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import {
  signInAtIssuer,
  startTestIssuer,
  type TestIssuer,
} from '../../../../test/support/oidc-test-issuer.ts';
import { ManualClock } from '../../../platform/clock.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { scopesForRole } from '../authenticate.ts';
import { InjectBrowser, TEST_ORIGIN } from '../passkeys/passkey-browser.test-support.ts';
import { findUserById } from '../store.ts';
import { resolveOidcUser } from './resolve-oidc-user.ts';
import { syncInstanceRole } from './sync-instance-role.ts';

/**
 * Single sign-on against a real OpenID provider (oidc-provider, in this process, over http on
 * 127.0.0.1) and real PostgreSQL: Orchard is driven with inject() as a browser would drive it, the
 * provider's login and consent pages with fetch.
 */
let t: TestApp;
let issuer: TestIssuer;
let adminToken: string;
const clock = new ManualClock(new Date());
const SECRET = 'orchard-test-client-secret-value';

beforeAll(async () => {
  issuer = await startTestIssuer();
  const common = { issuer: issuer.issuer, clientId: 'orchard', clientSecret: SECRET };
  t = await createTestApp(
    {
      'rateLimit.loginPerMinute': 10_000,
      'rateLimit.ipPerMinute': 10_000,
      'auth.oidc.providers': [
        {
          ...common,
          name: 'corp',
          displayName: 'Corp SSO',
          scopes: ['openid', 'email', 'profile', 'groups'],
          linkByEmail: true,
          adminGroups: ['orchard-admins'],
          projectRoles: [
            { group: 'shop-devs', project: 'shop', role: 'developer' },
            { group: 'shop-leads', project: 'shop', role: 'maintainer' },
            { group: 'shop-devs', project: 'not-made-yet', role: 'viewer' },
          ],
        },
        { ...common, name: 'closed', displayName: 'Closed SSO', allowSignUp: false },
        { ...common, name: 'down', displayName: 'Down SSO', issuer: 'http://127.0.0.1:1' },
      ],
    },
    { clock },
  );
  issuer.serve([
    {
      client_id: 'orchard',
      client_secret: SECRET,
      redirect_uris: ['corp', 'closed'].map((p) => `${TEST_ORIGIN}/api/auth/oidc/${p}/callback`),
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ]);
  adminToken = (await t.user('admin')).token;
  const shop = await t.http.inject({
    method: 'POST',
    url: '/api/projects',
    headers: bearer(adminToken),
    payload: { name: 'Shop', slug: 'shop' },
  });
  expect(shop.statusCode, shop.body).toBe(201);
});
afterAll(async () => {
  await t?.close();
  await issuer?.close();
});

const sql = async <T>(text: string, values: unknown[] = []) =>
  (await t.res.db.query(text, values)).rows as T[];

/** Start at Orchard, sign in at the provider as `login`, come back: what the callback answered. */
async function signIn(
  login: string,
  options: {
    provider?: string;
    returnTo?: string;
    browser?: InjectBrowser;
    cancel?: boolean;
    tamper?: (callback: URL) => void;
  } = {},
) {
  const browser = options.browser ?? new InjectBrowser(t.http);
  const query = options.returnTo ? `?returnTo=${encodeURIComponent(options.returnTo)}` : '';
  const start = await browser.call('GET', `/api/auth/oidc/${options.provider ?? 'corp'}/start${query}`);
  expect(start.statusCode, start.body).toBe(302);
  const location = String(start.headers.location);
  expect(location.startsWith(`${issuer.issuer}/auth?`), location).toBe(true);
  const back = await signInAtIssuer(location, login, TEST_ORIGIN, { cancel: options.cancel });
  options.tamper?.(back);
  const callback = await browser.call('GET', `${back.pathname}${back.search}`);
  expect(callback.statusCode, callback.body).toBe(302);
  return { browser, start, back, callback, location: String(callback.headers.location) };
}

async function me(browser: InjectBrowser) {
  const res = await browser.call('GET', '/api/auth/me');
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function shopRole(userId: string) {
  const [row] = await sql<{ role: string }>(
    `SELECT m.role FROM project_members m JOIN projects p ON p.id = m.project_id
     WHERE p.slug = 'shop' AND m.user_id = $1`,
    [userId],
  );
  return row?.role ?? null;
}

describe('the providers', () => {
  it('lists the configured providers by name and display name, and nothing else', async () => {
    const res = await t.http.inject({ method: 'GET', url: '/api/auth/oidc/providers' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [
        { name: 'corp', displayName: 'Corp SSO' },
        { name: 'closed', displayName: 'Closed SSO' },
        { name: 'down', displayName: 'Down SSO' },
      ],
    });
    const openapi = await t.http.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(openapi.body).not.toContain(SECRET);
  });

  it('sends the browser to the provider with PKCE (S256), a state and a nonce, bound to this browser', async () => {
    const browser = new InjectBrowser(t.http);
    const start = await browser.call('GET', '/api/auth/oidc/corp/start?returnTo=%2Fprojects');
    expect(start.statusCode).toBe(302);
    const url = new URL(String(start.headers.location));
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: 'orchard',
      response_type: 'code',
      redirect_uri: `${TEST_ORIGIN}/api/auth/oidc/corp/callback`,
      scope: 'openid email profile groups',
      code_challenge_method: 'S256',
    });
    for (const name of ['state', 'nonce', 'code_challenge'])
      expect(url.searchParams.get(name)?.length, name).toBeGreaterThanOrEqual(43);
    const cookie = (
      start.cookies as Array<{ name: string; path?: string; httpOnly?: boolean; sameSite?: string }>
    ).find((c) => c.name === 'orchard_oidc');
    expect(cookie).toMatchObject({ path: '/api/auth/oidc/', httpOnly: true, sameSite: 'Lax' });
    // Only the hash of the browser's secret is kept.
    const [attempt] = await sql<{ binding_hash: string; return_to: string }>(
      'SELECT binding_hash, return_to FROM oidc_sign_in_attempts WHERE state = $1',
      [url.searchParams.get('state')],
    );
    expect(attempt!.return_to).toBe('/projects');
    expect(attempt!.binding_hash).not.toBe(browser.cookies.get('orchard_oidc'));
  });

  it('refuses a return address that is not a path of this Orchard, and an unknown provider', async () => {
    for (const returnTo of [
      '//evil.example/x',
      'https://evil.example/',
      '/\\evil.example',
      'projects',
      '/a\tb',
    ]) {
      const res = await t.http.inject({
        method: 'GET',
        url: `/api/auth/oidc/corp/start?returnTo=${encodeURIComponent(returnTo)}`,
      });
      expect(res.statusCode, returnTo).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors).toContainEqual({
        field: 'querystring.returnTo',
        message: expect.stringMatching(/path on this Orchard/),
      });
    }
    const unknown = await t.http.inject({ method: 'GET', url: '/api/auth/oidc/nope/start' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toMatch(/No single sign-on provider "nope"/);
    const callback = await t.http.inject({
      method: 'GET',
      url: '/api/auth/oidc/nope/callback?code=x&state=y',
    });
    expect(callback.statusCode).toBe(404);
  });

  it('sends the person back to the login page when the provider cannot be reached', async () => {
    const res = await t.http.inject({ method: 'GET', url: '/api/auth/oidc/down/start' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/login?error=provider_unavailable&provider=down');
    expect(res.cookies.map((c) => c.name)).not.toContain('orchard_oidc');
  });
});

describe('signing in', () => {
  it('creates the account on a first sign-in, an admin because of an admin group, and opens a session', async () => {
    issuer.accounts.set('alice', {
      email: 'alice@corp.example',
      email_verified: true,
      preferred_username: 'Alice.Smith',
      groups: ['orchard-admins', 'staff'],
    });
    const { browser, location } = await signIn('alice', { returnTo: '/projects?tab=mine' });
    expect(location).toBe('/projects?tab=mine');
    expect(browser.cookies.has('orchard_session')).toBe(true);
    expect(browser.cookies.has('orchard_oidc')).toBe(false);
    const who = await me(browser);
    expect(who).toMatchObject({
      via: 'session',
      user: { username: 'alice.smith', email: 'alice@corp.example', role: 'admin', kind: 'human' },
    });
    expect(who.csrfToken).toBe(browser.cookies.get('orchard_csrf'));
    // The session works like a password login's: a write with the CSRF token.
    const project = await browser.call('POST', '/api/projects', { name: 'Made by SSO' });
    expect(project.statusCode, project.body).toBe(201);

    const userId = who.user.id as string;
    const [user] = await sql<{ password_hash: string | null }>(
      'SELECT password_hash FROM users WHERE id = $1',
      [userId],
    );
    expect(user!.password_hash).toBeNull();
    expect(
      await sql('SELECT provider, subject, email, groups FROM oidc_identities WHERE user_id = $1', [userId]),
    ).toEqual([
      {
        provider: 'corp',
        subject: 'alice',
        email: 'alice@corp.example',
        groups: ['orchard-admins', 'staff'],
      },
    ]);
    const audit = await sql<{ action: string; actor_id: string; data: Record<string, unknown> }>(
      `SELECT action, actor_id, data FROM audit_log WHERE target_id = $1 AND action IN ('user.create', 'session.create')
       ORDER BY id`,
      [userId],
    );
    expect(audit).toEqual([
      {
        action: 'user.create',
        actor_id: userId,
        data: { username: 'alice.smith', role: 'admin', via: 'oidc', provider: 'corp' },
      },
      {
        action: 'session.create',
        actor_id: userId,
        data: {
          method: 'oidc',
          provider: 'corp',
          subject: 'alice',
          account: 'created',
          groups: ['orchard-admins', 'staff'],
        },
      },
    ]);
    expect(
      await sql('SELECT 1 FROM oidc_sign_in_attempts WHERE return_to = $1', ['/projects?tab=mine']),
    ).toEqual([]);
    // The secret is in no log line.
    expect(t.logs.filter((line) => line.includes(SECRET))).toEqual([]);
  });

  it('makes someone without the admin group a member, with the project role their group maps to', async () => {
    issuer.accounts.set('bob', { email: 'bob@corp.example', email_verified: true, groups: 'shop-devs' });
    const { browser, location } = await signIn('bob');
    expect(location).toBe('/');
    const who = await me(browser);
    expect(who.user).toMatchObject({ username: 'bob', role: 'member' });
    expect(await shopRole(who.user.id)).toBe('developer');
    // The mapped project exists, so bob sees it; the one that does not is noted on the session's row.
    const projects = await browser.call('GET', '/api/projects');
    expect(projects.json().items.map((p: { slug: string }) => p.slug)).toContain('shop');
    const [session] = await sql<{ data: { projects: unknown[] } }>(
      `SELECT data FROM audit_log WHERE action = 'session.create' AND target_id = $1`,
      [who.user.id],
    );
    expect(session!.data.projects).toEqual([
      { project: 'not-made-yet', from: null, to: 'viewer', outcome: 'no_such_project' },
      { project: 'shop', from: null, to: 'developer', outcome: 'changed' },
    ]);
    const [member] = await sql<{ data: Record<string, unknown>; project_id: string }>(
      `SELECT data, project_id FROM audit_log WHERE action = 'project.member.set' AND target_id = $1`,
      [who.user.id],
    );
    expect(member!.data).toEqual({ username: 'bob', role: 'developer', via: 'oidc', provider: 'corp' });
  });

  it('syncs roles from groups again at every sign-in: up, down and out', async () => {
    issuer.accounts.set('cleo', { email: 'cleo@corp.example', groups: ['shop-devs', 'shop-leads'] });
    const first = await me((await signIn('cleo')).browser);
    expect(first.user.role).toBe('member');
    expect(await shopRole(first.user.id)).toBe('maintainer');

    issuer.accounts.set('cleo', { email: 'cleo@corp.example', groups: ['shop-devs', 'orchard-admins'] });
    const second = await me((await signIn('cleo')).browser);
    expect(second.user).toMatchObject({ id: first.user.id, role: 'admin' });
    expect(await shopRole(first.user.id)).toBe('developer');

    issuer.accounts.set('cleo', { email: 'cleo@corp.example', groups: [] });
    const third = await me((await signIn('cleo')).browser);
    expect(third.user.role).toBe('member');
    expect(await shopRole(first.user.id)).toBeNull();
    const changes = await sql<{ action: string; data: Record<string, unknown> }>(
      `SELECT action, data FROM audit_log WHERE target_id = $1 AND action IN ('user.update', 'project.member.set', 'project.member.remove')
       ORDER BY id`,
      [first.user.id],
    );
    expect(changes.map((c) => [c.action, c.data.role ?? null])).toEqual([
      ['project.member.set', 'maintainer'],
      ['user.update', 'admin'],
      ['project.member.set', 'developer'],
      ['user.update', 'member'],
      ['project.member.remove', null],
    ]);
  });

  it('never demotes the last enabled admin', async () => {
    issuer.accounts.set('dana', { email: 'dana@corp.example', groups: ['orchard-admins'] });
    const dana = await me((await signIn('dana')).browser);
    const row = (await findUserById(t.res.db, dana.user.id))!;
    const ctx = {
      actor: {
        userId: row.id,
        username: row.username,
        role: row.role,
        via: 'session' as const,
        scopes: scopesForRole(row.role),
      },
    };
    const rollback = new Error('rollback');
    await expect(
      withTransaction(t.res.db, async (tx) => {
        await tx.query(`UPDATE users SET role = 'member' WHERE role = 'admin' AND id <> $1`, [row.id]);
        expect((await syncInstanceRole(tx, ctx, row, 'member', {})).outcome).toBe('kept_last_admin');
        await tx.query(
          `UPDATE users SET role = 'admin' WHERE id = (SELECT id FROM users WHERE id <> $1 AND kind = 'human' AND NOT disabled LIMIT 1)`,
          [row.id],
        );
        expect((await syncInstanceRole(tx, ctx, row, 'member', {})).outcome).toBe('changed');
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });

  it('holds a sign-in to the passkey policy as a password login is held', async () => {
    issuer.accounts.set('erin', { email: 'erin@corp.example' });
    await t.res.db.query('INSERT INTO passkey_policy (require_passkeys) VALUES (true)');
    try {
      const { browser } = await signIn('erin');
      expect(await me(browser)).toMatchObject({ mustRegisterPasskey: true });
      const projects = await browser.call('GET', '/api/projects');
      expect(projects.statusCode).toBe(403);
      expect(projects.json().code).toBe('passkey_required');
    } finally {
      await t.res.db.query('DELETE FROM passkey_policy');
    }
  });
});

describe('existing accounts', () => {
  it('links an account by a verified email when the provider links by email; the password still works', async () => {
    const person = await t.user('member');
    issuer.accounts.set('frank', { email: person.user.email.toUpperCase(), email_verified: true });
    const { browser } = await signIn('frank');
    const who = await me(browser);
    expect(who.user.id).toBe(person.user.id);
    const [link] = await sql<{ data: Record<string, unknown> }>(
      `SELECT data FROM audit_log WHERE action = 'user.oidc_link' AND target_id = $1`,
      [person.user.id],
    );
    expect(link!.data).toEqual({ via: 'oidc', provider: 'corp', subject: 'frank' });
    await new InjectBrowser(t.http).password(person.user.username, person.password);
    // Linked now: later sign-ins find the account by subject, whatever the email says.
    issuer.accounts.set('frank', { email: 'frank.new@corp.example' });
    expect((await me((await signIn('frank')).browser)).user.id).toBe(person.user.id);
  });

  it('refuses to link an unverified email, or by email at all where the provider does not link', async () => {
    const person = await t.user('member');
    issuer.accounts.set('gina', { email: person.user.email, email_verified: false });
    expect((await signIn('gina')).location).toBe('/login?error=email_unverified&provider=corp');
    expect((await signIn('gina', { provider: 'closed' })).location).toBe(
      '/login?error=account_exists&provider=closed',
    );
    issuer.accounts.set('gina', { email: person.user.email, email_verified: 'true' });
    expect((await signIn('gina', { provider: 'closed' })).location).toBe(
      '/login?error=account_exists&provider=closed',
    );
    expect(await sql('SELECT 1 FROM oidc_identities WHERE user_id = $1', [person.user.id])).toEqual([]);
  });

  it('refuses a second subject for an account already linked at that provider', async () => {
    const person = await t.user('member');
    issuer.accounts.set('hal', { email: person.user.email, email_verified: true });
    expect((await signIn('hal')).location).toBe('/');
    issuer.accounts.set('hal-2', { email: person.user.email, email_verified: true });
    expect((await signIn('hal-2')).location).toBe('/login?error=already_linked&provider=corp');
  });

  it('never signs in an agent or a service account, nor a disabled person', async () => {
    await sql(
      `INSERT INTO users (username, email, password_hash, role, kind)
       VALUES ('ci-bot', 'ci-bot@corp.example', NULL, 'member', 'service')`,
    );
    issuer.accounts.set('ci', { email: 'ci-bot@corp.example', email_verified: true });
    expect((await signIn('ci')).location).toBe('/login?error=not_a_person&provider=corp');
    expect(await sql(`SELECT 1 FROM oidc_identities WHERE subject = 'ci'`)).toEqual([]);

    issuer.accounts.set('ivy', { email: 'ivy@corp.example' });
    const ivy = await me((await signIn('ivy')).browser);
    await sql('UPDATE users SET disabled = true WHERE id = $1', [ivy.user.id]);
    const again = await signIn('ivy');
    expect(again.location).toBe('/login?error=account_disabled&provider=corp');
    expect(again.browser.cookies.has('orchard_session')).toBe(false);
    // A linked account that became an agent principal (by any means) is refused as well.
    await sql(`UPDATE users SET disabled = false, kind = 'agent' WHERE id = $1`, [ivy.user.id]);
    expect((await signIn('ivy')).location).toBe('/login?error=not_a_person&provider=corp');
  });

  it('makes no account before the first admin is set up (it would close the setup page)', async () => {
    const provider = t.config.auth.oidc.providers[0]!;
    const person = {
      subject: 'first',
      email: 'first@corp.example',
      emailVerified: true,
      preferredUsername: null,
      groups: [],
    };
    const rollback = new Error('rollback');
    await expect(
      withTransaction(t.res.db, async (tx) => {
        await tx.query('DELETE FROM users');
        await expect(
          resolveOidcUser(tx, provider, person, { role: 'member', at: new Date() }),
        ).rejects.toMatchObject({
          code: 'setup_needed',
        });
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });

  it('creates no account where the provider does not allow sign-up, or without an email', async () => {
    issuer.accounts.set('jay', { email: 'jay@corp.example', email_verified: true });
    expect((await signIn('jay', { provider: 'closed' })).location).toBe(
      '/login?error=signup_closed&provider=closed',
    );
    expect(await sql(`SELECT 1 FROM users WHERE email = 'jay@corp.example'`)).toEqual([]);
    issuer.accounts.set('kim', {});
    expect((await signIn('kim')).location).toBe('/login?error=email_missing&provider=corp');
  });
});

describe('what the callback refuses', () => {
  it('a tampered state: refused, no session, and the sign-in is used up', async () => {
    issuer.accounts.set('lee', { email: 'lee@corp.example' });
    let genuine = '';
    const { browser, location } = await signIn('lee', {
      tamper: (url) => {
        genuine = url.search;
        url.searchParams.set('state', `${url.searchParams.get('state')}x`);
      },
    });
    expect(location).toBe('/login?error=state_mismatch&provider=corp');
    expect(browser.cookies.has('orchard_session')).toBe(false);
    expect(await sql(`SELECT 1 FROM users WHERE email = 'lee@corp.example'`)).toEqual([]);
    // The genuine answer afterwards finds nothing pending.
    const replay = await browser.call('GET', `/api/auth/oidc/corp/callback${genuine}`);
    expect(replay.headers.location).toBe('/login?error=no_attempt&provider=corp');
  });

  it('a replayed callback, and a callback in a browser that did not start the sign-in', async () => {
    issuer.accounts.set('mia', { email: 'mia@corp.example' });
    const { browser, back } = await signIn('mia');
    expect(browser.cookies.has('orchard_session')).toBe(true);
    expect(
      await sql('SELECT 1 FROM oidc_sign_in_attempts WHERE state = $1', [back.searchParams.get('state')]),
    ).toEqual([]);

    const victim = new InjectBrowser(t.http);
    const replay = await victim.call('GET', `${back.pathname}${back.search}`);
    expect(replay.headers.location).toBe('/login?error=no_attempt&provider=corp');
    expect(victim.cookies.has('orchard_session')).toBe(false);

    // Another browser's pending attempt is no help either: the binding is this browser's.
    const other = new InjectBrowser(t.http);
    const started = await other.call('GET', '/api/auth/oidc/corp/start');
    const answer = await signInAtIssuer(String(started.headers.location), 'mia', TEST_ORIGIN);
    const stranger = new InjectBrowser(t.http);
    stranger.cookies.set('orchard_oidc', 'x'.repeat(43));
    const foreign = await stranger.call('GET', `${answer.pathname}${answer.search}`);
    expect(foreign.headers.location).toBe('/login?error=no_attempt&provider=corp');
  });

  it('a sign-in that took longer than ten minutes', async () => {
    issuer.accounts.set('ned', { email: 'ned@corp.example' });
    const browser = new InjectBrowser(t.http);
    const start = await browser.call('GET', '/api/auth/oidc/corp/start');
    const back = await signInAtIssuer(String(start.headers.location), 'ned', TEST_ORIGIN);
    // Forward only: the ID token's times are checked against the real clock, and stay valid.
    clock.advance(10 * 60_000 + 1);
    const late = await browser.call('GET', `${back.pathname}${back.search}`);
    expect(late.headers.location).toBe('/login?error=expired&provider=corp');
  });

  it('a person who cancels at the provider', async () => {
    issuer.accounts.set('ola', { email: 'ola@corp.example' });
    expect((await signIn('ola', { cancel: true })).location).toBe('/login?error=access_denied&provider=corp');
  });

  it('a code the provider does not know (forged with the right state): the token endpoint refuses it', async () => {
    issuer.accounts.set('pat', { email: 'pat@corp.example' });
    const { location } = await signIn('pat', {
      tamper: (url) => url.searchParams.set('code', 'forged-code'),
    });
    expect(location).toBe('/login?error=provider_error&provider=corp');
  });

  it('writes nothing when the sign-in cannot be audited: no account, link, membership or session', async () => {
    issuer.accounts.set('quinn', { email: 'quinn@corp.example', groups: ['shop-devs'] });
    const before = await sql<{ n: number }>(
      `SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM sessions) + (SELECT count(*) FROM oidc_identities)
         + (SELECT count(*) FROM project_members) AS n`,
    );
    await t.res.db.query(`CREATE FUNCTION test_refuse_session_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = 'session.create' THEN RAISE EXCEPTION 'audit refused by the test'; END IF; RETURN NEW; END $$`);
    await t.res.db.query(
      'CREATE TRIGGER test_refuse_session_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_session_audit()',
    );
    try {
      const { location, browser } = await signIn('quinn');
      expect(location).toBe('/login?error=server_error&provider=corp');
      expect(browser.cookies.has('orchard_session')).toBe(false);
    } finally {
      await t.res.db.query('DROP TRIGGER test_refuse_session_audit ON audit_log');
      await t.res.db.query('DROP FUNCTION test_refuse_session_audit()');
    }
    const after = await sql<{ n: number }>(
      `SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM sessions) + (SELECT count(*) FROM oidc_identities)
         + (SELECT count(*) FROM project_members) AS n`,
    );
    expect(after).toEqual(before);
    expect(t.logs.some((line) => line.includes('audit refused by the test'))).toBe(true);
    // With the audit log working again the same person gets in.
    expect((await signIn('quinn')).location).toBe('/');
  });
});
