import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateToken, delegateToken } from '../src/modules/identity/index.ts';
import { agentProjects } from '../src/modules/projects/index.ts';
import type { RouteEntry } from '../src/platform/http/server.ts';
import { bearer, createTestApp, type TestApp } from './app.ts';

/**
 * Table-driven over every registered /api route: authentication (401), token scopes and admin
 * routes (403), and project roles (403) — so a route added later is covered without a new test.
 */
const PUBLIC_ROUTES = new Set([
  'GET /api/setup',
  'POST /api/setup/admin',
  'POST /api/auth/login',
  // Passwordless sign-in: a challenge, then its answer (the same login rate limit).
  'POST /api/auth/passkey/options',
  'POST /api/auth/passkey/login',
  // Single sign-on (OIDC): the providers for the login page, then the browser's redirects to the
  // provider and back (the login rate limit).
  'GET /api/auth/oidc/providers',
  'GET /api/auth/oidc/:provider/start',
  'GET /api/auth/oidc/:provider/callback',
  // One-time links (invitations, password resets): look one up, then use it (the login rate limit).
  'POST /api/account-links/lookup',
  'POST /api/account-links/accept',
  // An app's sign-in with Orchard (the sign-in service): it reads Orchard's session itself and sends
  // a browser without one to the login (the login rate limit).
  'GET /api/app-sign-in/:uid',
  'GET /api/openapi.json',
]);
/** Browser sessions only (`config.sessionOnly`): one's own passkeys. Every API token is refused. */
const SESSION_ONLY_ROUTES = new Set([
  'GET /api/passkeys',
  'POST /api/passkeys/registration/options',
  'POST /api/passkeys',
  'PATCH /api/passkeys/:id',
  'DELETE /api/passkeys/:id',
]);
/**
 * What a session may still call while the instance requires a passkey it has not registered
 * (`config.beforePasskey`): who am I, log out, and registering one. Everything else is a 403
 * `passkey_required`.
 */
const BEFORE_PASSKEY_ROUTES = new Set([
  'GET /api/auth/me',
  'POST /api/auth/logout',
  'GET /api/passkeys',
  'POST /api/passkeys/registration/options',
  'POST /api/passkeys',
]);
/**
 * What an agent (delegated) token may call besides reading its own project (GET under
 * /api/projects/:slug, secrets excepted): adding a route here is a security decision.
 */
const AGENT_ROUTES = new Set([
  'GET /api/auth/me',
  'GET /api/projects',
  'GET /api/operations',
  'GET /api/operations/:id',
  'GET /api/operations/:id/events',
  'POST /api/projects/:slug/issues',
  'PATCH /api/projects/:slug/issues/:number',
  'POST /api/projects/:slug/issues/:number/comments',
  'POST /api/projects/:slug/merge-requests',
  'PATCH /api/projects/:slug/merge-requests/:number',
  'POST /api/projects/:slug/merge-requests/:number/comments',
  // Comment reviews only: the use case refuses an agent approving or requesting changes.
  'POST /api/projects/:slug/merge-requests/:number/reviews',
  'POST /api/projects/:slug/pipelines',
  'POST /api/projects/:slug/pipelines/:id/cancel',
  'POST /api/projects/:slug/pipelines/:id/rerun',
  // The browser robot on their own project's environments: it changes nothing it did not check.
  'POST /api/projects/:slug/verify',
  // Automation tasks, on previews only (the use case refuses staging, production and other hosts).
  'POST /api/projects/:slug/automation/tasks',
]);
const AGENTS_NEVER_READ = new Set([
  'GET /api/projects/:slug/secrets',
  // What the project's apps sent their users (sign-in links, codes).
  'GET /api/projects/:slug/mailbox',
  'GET /api/projects/:slug/mailbox/stream',
  'GET /api/projects/:slug/mailbox/:id',
]);
/**
 * Open to agents within limits their use case checks; an empty request is refused with this reason
 * (deploy: only the preview of a branch the agent pushes to, and `{}` means staging).
 */
const AGENT_LIMITED = new Map([
  ['POST /api/projects/:slug/deploy', /^Agent tokens may deploy only the preview of a branch they push to/],
]);
/**
 * Refused to agents with a reason of their own: a person merges what an agent proposes, and a
 * person decides what agents work on (agents do not start agents).
 */
const AGENT_REFUSALS = new Map([
  ['POST /api/projects/:slug/merge-requests/:number/merge', /^Agent tokens cannot merge/],
  // An agent has no approval or request for changes to withdraw: people judge whether work is ready.
  [
    'DELETE /api/projects/:slug/merge-requests/:number/reviews/mine',
    /^Agent tokens cannot approve or request changes/,
  ],
  ['POST /api/projects/:slug/issues/:number/assign-agent', /^Agent tokens cannot assign issues to agents/],
  ['POST /api/projects/:slug/agent-sessions', /^Agent tokens cannot start agent sessions/],
  // An agent's work must pass the checks a maintainer requires; it cannot lower that bar.
  ['PUT /api/projects/:slug/branches/:branch/protection', /^Agent tokens cannot change branch protection/],
  // Nor can it wave its own secrets past the push's scan.
  ['POST /api/projects/:slug/secret-scanning/allowed', /^Agent tokens cannot allow secret-scanning findings/],
  [
    'DELETE /api/projects/:slug/secret-scanning/allowed/:fingerprint',
    /^Agent tokens cannot allow secret-scanning findings/,
  ],
]);
const ROLES = ['viewer', 'developer', 'maintainer', 'owner'] as const;
type Role = (typeof ROLES)[number];

let t: TestApp;
let slug: string;
let routes: RouteEntry[];
const members = {} as Record<Role | 'outsider', string>;
let readOnly: string;
let agent: string;

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.tokenPerMinute': 100_000, 'rateLimit.ipPerMinute': 100_000 });
  const owner = await t.user('member');
  members.owner = owner.token;
  const project = (
    await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(owner.token),
      payload: { name: 'Perm' },
    })
  ).json();
  slug = project.slug;
  for (const role of ['viewer', 'developer', 'maintainer'] as const) {
    const u = await t.user('member');
    members[role] = u.token;
    await t.http.inject({
      method: 'PUT',
      url: `/api/projects/${slug}/members/${u.user.username}`,
      headers: bearer(owner.token),
      payload: { role },
    });
  }
  members.outsider = (await t.user('member')).token;
  readOnly = (await t.user('member', ['read'])).token;
  agent = (
    await delegateToken(
      { db: t.res.db, clock: t.res.clock, projects: agentProjects(t.res.db) },
      {
        delegatedBy: await authenticateToken(t.res.db, t.res.clock, owner.token),
        projectId: project.id,
        agentSessionId: randomUUID(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    )
  ).token;
  routes = t.http.routeTable.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'));
});
afterAll(async () => t?.close());

function fill(url: string) {
  return url
    .replace(':slug', slug)
    .replace(/:id\b/g, '00000000-0000-4000-8000-000000000000')
    .replace(/:name\b/g, 'SOME_NAME')
    .replace(/:number\b/g, '1')
    .replace(/:[A-Za-z]+/g, 'x1')
    .replace('*', 'x1');
}

const key = (r: RouteEntry) => `${r.method} ${r.url}`;

describe('every /api route', () => {
  it('is listed: public routes are exactly the allowed ones', () => {
    const publicRoutes = routes.filter((r) => r.config.auth === 'public').map(key);
    expect(new Set(publicRoutes)).toEqual(PUBLIC_ROUTES);
    expect(routes.length).toBeGreaterThan(15);
  });

  it('answers 401 problem+json without credentials, and with a bad token', async () => {
    for (const route of routes.filter((r) => r.config.auth !== 'public')) {
      for (const headers of [{}, bearer('orch_notarealtokennotarealtoken')]) {
        const res = await t.http.inject({
          method: route.method as 'GET',
          url: fill(route.url),
          headers,
          payload: route.hasBody ? {} : undefined,
        });
        expect(res.statusCode, key(route)).toBe(401);
        expect(res.headers['content-type'], key(route)).toContain('application/problem+json');
      }
    }
  });

  it('answers 403 to a read-only token on every mutation, and to members on admin routes', async () => {
    for (const route of routes.filter((r) => r.config.auth !== 'public')) {
      const url = fill(route.url);
      const needsWrite = route.method !== 'GET' && route.config.scope !== 'read';
      if (needsWrite) {
        const res = await t.http.inject({
          method: route.method as 'POST',
          url,
          headers: bearer(readOnly),
          payload: route.hasBody ? {} : undefined,
        });
        expect(res.statusCode, key(route)).toBe(403);
      }
      if (route.config.adminOnly) {
        const res = await t.http.inject({
          method: route.method as 'GET',
          url,
          headers: bearer(members.owner),
          payload: route.hasBody ? {} : undefined,
        });
        expect(res.statusCode, key(route)).toBe(403);
      }
    }
  });

  it('enforces the declared project role on every project route', async () => {
    const projectRoutes = routes.filter((r) => r.url.startsWith('/api/projects/:slug'));
    expect(projectRoutes.length).toBeGreaterThan(5);
    for (const route of projectRoutes) {
      const needed: Role =
        (route.config.projectRole as Role) ?? (route.method === 'GET' ? 'viewer' : 'developer');
      const below = ROLES.slice(0, ROLES.indexOf(needed));
      for (const who of ['outsider', ...below] as const) {
        const res = await t.http.inject({
          method: route.method as 'GET',
          url: fill(route.url),
          headers: bearer(members[who]),
          payload: route.hasBody ? {} : undefined,
        });
        expect(res.statusCode, `${key(route)} as ${who}`).toBe(403);
        expect(res.json().detail, `${key(route)} as ${who}`).toMatch(/member|role/);
      }
      // The role itself gets past the gate (validation or the handler answers, never 401/403).
      const ok = await t.http.inject({
        method: route.method as 'GET',
        url: fill(route.url),
        headers: bearer(members[needed]),
        payload: route.hasBody ? {} : undefined,
      });
      expect(ok.statusCode, `${key(route)} as ${needed}`).not.toBe(401);
      if (ok.statusCode === 403)
        expect(ok.json().detail, `${key(route)} as ${needed}`).not.toMatch(/member of|needs the/);
    }
  });

  it('lets an agent token call only what agents may, refusing the rest with a reason', async () => {
    for (const agentRoute of [...AGENT_ROUTES, ...AGENT_REFUSALS.keys(), ...AGENT_LIMITED.keys()])
      expect(routes.map(key), agentRoute).toContain(agentRoute);
    for (const route of routes.filter((r) => r.config.auth !== 'public')) {
      const reads = route.method === 'GET' && route.url.startsWith('/api/projects/:slug');
      const allowed = AGENT_ROUTES.has(key(route)) || (reads && !AGENTS_NEVER_READ.has(key(route)));
      const res = await t.http.inject({
        method: route.method as 'GET',
        url: fill(route.url),
        headers: bearer(agent),
        payload: route.hasBody ? {} : undefined,
      });
      expect(res.statusCode, key(route)).not.toBe(401);
      const limit = AGENT_LIMITED.get(key(route));
      if (limit) {
        expect(res.statusCode, key(route)).toBe(403);
        expect(res.json().detail, key(route)).toMatch(limit);
      } else if (allowed) {
        if (res.statusCode === 403) expect(res.json().detail, key(route)).not.toMatch(/Agent tokens/);
      } else {
        expect(res.statusCode, key(route)).toBe(403);
        expect(res.json().detail, key(route)).toMatch(
          AGENT_REFUSALS.get(key(route)) ?? /^Agent tokens cannot/,
        );
      }
    }
  });
});

describe('passkey routes and the passkey requirement', () => {
  it('refuses every API token on the session-only routes, which are exactly the listed ones', async () => {
    const sessionOnly = routes.filter((r) => r.config.sessionOnly).map(key);
    expect(new Set(sessionOnly)).toEqual(SESSION_ONLY_ROUTES);
    for (const route of routes.filter((r) => r.config.sessionOnly)) {
      const res = await t.http.inject({
        method: route.method as 'GET',
        url: fill(route.url),
        headers: bearer(members.owner),
        payload: route.hasBody ? {} : undefined,
      });
      expect(res.statusCode, key(route)).toBe(403);
      expect(res.json().detail, key(route)).toMatch(/^API tokens cannot call/);
    }
  });

  it('holds a session that must register a passkey to the routes that register one, on every route', async () => {
    expect(new Set(routes.filter((r) => r.config.beforePasskey).map(key))).toEqual(BEFORE_PASSKEY_ROUTES);
    const person = await t.user('member');
    await t.res.db.query('INSERT INTO passkey_policy (require_passkeys) VALUES (true)');
    try {
      const login = await t.http.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login: person.user.username, password: person.password },
      });
      const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
      for (const route of routes.filter((r) => r.config.auth !== 'public')) {
        // Logging out would end the session the sweep runs on; its config is checked above.
        if (key(route) === 'POST /api/auth/logout') continue;
        const res = await t.http.inject({
          method: route.method as 'GET',
          url: fill(route.url),
          cookies,
          headers: { 'x-csrf-token': cookies.orchard_csrf! },
          payload: route.hasBody ? {} : undefined,
        });
        if (BEFORE_PASSKEY_ROUTES.has(key(route))) {
          expect(res.statusCode, key(route)).not.toBe(401);
          if (res.statusCode === 403) expect(res.json().code, key(route)).not.toBe('passkey_required');
        } else {
          expect(res.statusCode, key(route)).toBe(403);
          expect(res.json().code, key(route)).toBe('passkey_required');
        }
      }
    } finally {
      await t.res.db.query('DELETE FROM passkey_policy');
    }
  });
});

describe("routes of a Blueprint (/api/blueprints/:id/…) check the role in the Blueprint's project", () => {
  // Outside /api/projects/:slug the gate cannot see the project; the use case checks it.
  it('design references: viewers read them, developers add them, outsiders get nothing', async () => {
    const blueprint = (
      await t.http.inject({
        method: 'POST',
        url: `/api/projects/${slug}/blueprints`,
        headers: bearer(members.owner),
        payload: { title: 'Refs' },
      })
    ).json();
    const list = `/api/blueprints/${blueprint.id}/references`;
    const add = (who: Role | 'outsider') =>
      t.http.inject({ method: 'POST', url: list, headers: bearer(members[who]), payload: { url: 'x' } });
    const read = (who: Role | 'outsider') => t.http.inject({ url: list, headers: bearer(members[who]) });
    expect((await read('outsider')).statusCode).toBe(403);
    expect((await read('viewer')).statusCode).toBe(200);
    const refused = await t.http.inject({
      method: 'POST',
      url: list,
      headers: { ...bearer(members.viewer), 'content-type': 'image/png' },
      payload: Buffer.from('not even an image'),
    });
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().detail).toMatch(/role|member/);
    // A developer gets past access: the bad URL is what is refused.
    const developer = await add('developer');
    expect(developer.statusCode, developer.body).toBe(400);
    expect(developer.json().detail).toMatch(/must be an http\(s\) URL/);
  });
});
