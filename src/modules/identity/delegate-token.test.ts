import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import { until } from '../../../test/support/until.ts';
import type { Clock } from '../../platform/clock.ts';
import { SYSTEM_ACTOR } from '../../platform/http/actor.ts';
import { agentProjects } from '../projects/index.ts';
import { authenticateToken } from './authenticate.ts';
import { createToken } from './create-token.ts';
import { delegateToken } from './delegate-token.ts';
import { revokeSessionTokens } from './revoke-session-tokens.ts';

/** The app's clock runs `skewMs` ahead of the wall clock (tokens expire without waiting). */
let skewMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + skewMs) };

let t: TestApp;
let alice: Awaited<ReturnType<TestApp['user']>>;
let bob: Awaited<ReturnType<TestApp['user']>>;
let projectId: string;
let otherProjectId: string;
const slug = 'delegated';
const other = 'not-delegated';
const HOUR = 3_600_000;

type Headers = Record<string, string>;
const call = (
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  headers: Headers,
  payload?: object,
) => t.http.inject({ method, url, headers, payload });

async function createProject(token: string, s: string): Promise<string> {
  const r = await call('POST', '/api/projects', bearer(token), { name: s, slug: s });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}

/** A delegated token of `slug`'s agent, acting for `who` (alice unless said otherwise). */
async function delegate(options: { who?: string; expiresInMs?: number; session?: string } = {}) {
  const delegatedBy = await authenticateToken(t.res.db, clock, options.who ?? alice.token);
  return delegateToken(
    { db: t.res.db, clock, projects: agentProjects(t.res.db) },
    {
      delegatedBy,
      projectId,
      agentSessionId: options.session ?? randomUUID(),
      expiresAt: new Date(clock.now().getTime() + (options.expiresInMs ?? HOUR)),
    },
  );
}

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.tokenPerMinute': 100_000 }, { clock });
  alice = await t.user('member');
  bob = await t.user('member');
  projectId = await createProject(alice.token, slug);
  otherProjectId = await createProject(alice.token, other);
  expect(otherProjectId).not.toBe(projectId);
});
afterAll(async () => t?.close());

describe('delegated agent tokens', () => {
  it("act as the project's agent principal, a developer there, shown as an agent", async () => {
    const first = await delegate();
    const second = await delegate();
    expect(first.principal.username).toBe(`agent-${slug}`);
    expect(second.principal.id).toBe(first.principal.id);
    expect(first.actor).toMatchObject({
      userId: first.principal.id,
      scopes: ['write'],
      delegation: {
        byUserId: alice.user.id,
        byUsername: alice.user.username,
        projectId,
        pushBranches: 'orchard/*',
      },
    });
    const me = (await call('GET', '/api/auth/me', bearer(first.token))).json();
    expect(me.user).toMatchObject({ username: `agent-${slug}`, kind: 'agent' });
    expect(me.delegation.byUsername).toBe(alice.user.username);
    const members = (await call('GET', `/api/projects/${slug}/members`, bearer(alice.token))).json().items;
    expect(members).toContainEqual(
      expect.objectContaining({ username: `agent-${slug}`, kind: 'agent', role: 'developer' }),
    );
  });

  it('may only be delegated by a developer of the project, for at most 7 days, never by an agent', async () => {
    await expect(delegate({ who: bob.token })).rejects.toMatchObject({ status: 403 });
    const readOnly = await createToken(
      t.res.db,
      clock,
      { actor: SYSTEM_ACTOR },
      {
        userId: alice.user.id,
        name: 'read only',
        scopes: ['read'],
      },
    );
    await expect(delegate({ who: readOnly.token })).rejects.toThrow(/needs the write scope/);
    await expect(delegate({ expiresInMs: 8 * 24 * HOUR })).rejects.toMatchObject({ status: 400 });
    await expect(delegate({ expiresInMs: -1 })).rejects.toMatchObject({ status: 400 });
    const agent = await delegate();
    await expect(delegate({ who: agent.token })).rejects.toThrow(/Agent tokens cannot delegate/);
  });

  it('read their project, open and comment on issues, and run pipelines', async () => {
    const { token } = await delegate();
    const h = bearer(token);
    expect((await call('GET', `/api/projects/${slug}`, h)).json().role).toBe('developer');
    const listed = (await call('GET', '/api/projects', h)).json().items.map((p: { slug: string }) => p.slug);
    expect(listed).toEqual([slug]);
    const issue = await call('POST', `/api/projects/${slug}/issues`, h, { title: 'Found by the agent' });
    expect(issue.statusCode, issue.body).toBe(201);
    const comment = await call('POST', `/api/projects/${slug}/issues/${issue.json().number}/comments`, h, {
      body: 'Working on it.',
    });
    expect(comment.statusCode, comment.body).toBe(201);
    // Running a pipeline gets past every access check (there is no pipeline file to run).
    const run = await call('POST', `/api/projects/${slug}/pipelines`, h, { ref: 'main' });
    expect(run.statusCode, run.body).not.toBe(403);
    expect(run.statusCode).not.toBe(401);
  });

  it('cannot reach another project, even one its principal or its person belongs to', async () => {
    const { token, principal } = await delegate();
    // Even made a member of the other project, the agent token stays in its own.
    await call('PUT', `/api/projects/${other}/members/${principal.username}`, bearer(alice.token), {
      role: 'owner',
    });
    const h = bearer(token);
    for (const url of [
      `/api/projects/${other}`,
      `/api/projects/${other}/issues`,
      '/api/projects/no-such-project',
    ]) {
      const r = await call('GET', url, h);
      expect(r.statusCode, url).toBe(403);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().detail).toMatch(/only in the project it was delegated for/);
    }
    expect((await call('POST', `/api/projects/${other}/issues`, h, { title: 'x' })).statusCode).toBe(403);
    const ops = await call('GET', `/api/operations?project=${other}`, h);
    expect(ops.statusCode).toBe(403);
    // Made owner of its own project, it still holds developer at most.
    await call('PUT', `/api/projects/${slug}/members/${principal.username}`, bearer(alice.token), {
      role: 'owner',
    });
    expect((await call('GET', `/api/projects/${slug}`, h)).json().role).toBe('developer');
    await call('PUT', `/api/projects/${slug}/members/${principal.username}`, bearer(alice.token), {
      role: 'developer',
    });
  });

  it('cannot read or change secrets, create tokens, manage members or settings, or merge', async () => {
    const put = await call('PUT', `/api/projects/${slug}/secrets/API_KEY`, bearer(alice.token), {
      value: 'v-123456',
    });
    expect(put.statusCode).toBe(201);
    const { token } = await delegate();
    const h = bearer(token);
    const refused: Array<[string, ReturnType<typeof call>, RegExp]> = [
      ['list secrets', call('GET', `/api/projects/${slug}/secrets`, h), /cannot read or change secrets/],
      [
        'put a secret',
        call('PUT', `/api/projects/${slug}/secrets/API_KEY`, h, { value: 'x-123456' }),
        /secrets/,
      ],
      ['delete a secret', call('DELETE', `/api/projects/${slug}/secrets/API_KEY`, h), /secrets/],
      ['create a token', call('POST', '/api/tokens', h, { scopes: ['read'] }), /cannot create tokens/],
      ['list tokens', call('GET', '/api/tokens', h), /Agent tokens cannot call GET \/api\/tokens/],
      [
        'add a member',
        call('PUT', `/api/projects/${slug}/members/${bob.user.username}`, h, { role: 'viewer' }),
        /members/,
      ],
      [
        'remove a member',
        call('DELETE', `/api/projects/${slug}/members/${alice.user.username}`, h),
        /members/,
      ],
      ['change settings', call('PATCH', `/api/projects/${slug}`, h, { description: 'x' }), /settings/],
      ['archive', call('POST', `/api/projects/${slug}/archive`, h), /settings/],
      ['merge', call('POST', `/api/projects/${slug}/merge-requests/1/merge`, h, {}), /cannot merge/],
      ['create a project', call('POST', '/api/projects', h, { name: 'agent made' }), /Agent tokens/],
      [
        'change its own account',
        call('PATCH', `/api/users/${alice.user.id}`, h, { email: 'x@example.test' }),
        /Agent tokens/,
      ],
      ['start an operation', call('POST', '/api/operations', h, {}), /Agent tokens/],
    ];
    for (const [what, response, detail] of refused) {
      const r = await response;
      expect(r.statusCode, what).toBe(403);
      expect(r.headers['content-type'], what).toContain('application/problem+json');
      expect(r.json().detail, what).toMatch(detail);
      expect(r.json().detail, what).toContain(`acting for ${alice.user.username}`);
    }
    // The use cases refuse too, for in-process agent runs that never pass the routes.
    const { actor } = await delegate();
    await expect(
      createToken(t.res.db, clock, { actor }, { name: 'minted', scopes: ['read'] }),
    ).rejects.toThrow(/Agent tokens cannot create tokens/);
  });

  it('are written to the audit log as the agent on behalf of its person', async () => {
    const { token, principal, tokenId } = await delegate();
    const issue = await call(
      'POST',
      `/api/projects/${slug}/issues`,
      { ...bearer(token), 'x-request-id': 'agent-issue' },
      {
        title: 'Audited agent work',
      },
    );
    expect(issue.statusCode).toBe(201);
    const admin = await t.user('admin');
    const page = (
      await call('GET', `/api/audit?actor=${alice.user.username}&limit=100`, bearer(admin.token))
    ).json();
    const entry = page.items.find((e: { requestId: string }) => e.requestId === 'agent-issue');
    expect(entry).toMatchObject({
      action: 'issue.create',
      actor: {
        id: principal.id,
        name: `${principal.username} (for ${alice.user.username})`,
        onBehalfOf: { userId: alice.user.id, username: alice.user.username, tokenId },
      },
    });
    const byAgent = (
      await call('GET', `/api/audit?actor=${principal.username}&limit=100`, bearer(admin.token))
    ).json();
    expect(byAgent.items.map((e: { requestId: string }) => e.requestId)).toContain('agent-issue');
    const delegation = (
      await call('GET', '/api/audit?action=token.delegate&limit=1', bearer(admin.token))
    ).json();
    expect(delegation.items[0]).toMatchObject({
      actor: { name: alice.user.username, onBehalfOf: null },
      projectId,
    });
  });

  it('answer 401 once expired, revoked with their session, or when their person is disabled', async () => {
    const session = randomUUID();
    const short = await delegate({ expiresInMs: 60_000 });
    const revoked = await delegate({ session });
    expect((await call('GET', '/api/auth/me', bearer(short.token))).statusCode).toBe(200);
    expect((await call('GET', '/api/auth/me', bearer(revoked.token))).statusCode).toBe(200);

    skewMs += 2 * 60_000;
    const expired = await call('GET', '/api/auth/me', bearer(short.token));
    expect(expired.statusCode).toBe(401);
    expect(expired.json().detail).toMatch(/expired/);

    expect(await revokeSessionTokens(t.res.db, session, { clock })).toBe(1);
    expect(await revokeSessionTokens(t.res.db, session, { clock })).toBe(0);
    const refused = await until(
      async () => {
        const r = await call('GET', '/api/auth/me', bearer(revoked.token));
        return r.statusCode === 401 && r;
      },
      5_000,
      'the revoked agent token to be refused',
    );
    expect(refused.json().detail).toMatch(/revoked/);
    const audit = await t.res.db.query(
      `SELECT data FROM audit_log WHERE action = 'token.revoke' AND target_id = $1`,
      [revoked.tokenId],
    );
    expect(audit.rows[0].data).toMatchObject({ agentSessionId: session });

    const carol = await t.user('member');
    await call('PUT', `/api/projects/${slug}/members/${carol.user.username}`, bearer(alice.token), {
      role: 'developer',
    });
    const carols = await delegate({ who: carol.token });
    expect((await call('GET', `/api/projects/${slug}`, bearer(carols.token))).statusCode).toBe(200);
    // Their person demoted to viewer: the agent can read, no longer write.
    await call('PUT', `/api/projects/${slug}/members/${carol.user.username}`, bearer(alice.token), {
      role: 'viewer',
    });
    const demoted = await call('POST', `/api/projects/${slug}/issues`, bearer(carols.token), { title: 'x' });
    expect(demoted.statusCode).toBe(403);
    const admin = await t.user('admin');
    await call('PATCH', `/api/users/${carol.user.id}`, bearer(admin.token), { disabled: true });
    const disabled = await until(
      async () => {
        const r = await call('GET', '/api/auth/me', bearer(carols.token));
        return r.statusCode === 401 && r;
      },
      5_000,
      'the agent token of a disabled person to be refused',
    );
    expect(disabled.json().detail).toMatch(/delegated this agent token is disabled/);
  });

  it('belong to a principal that cannot log in, hold plain tokens, or be impersonated by name', async () => {
    const { principal } = await delegate();
    const login = await t.http.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: principal.username, password: 'any-password-at-all' },
    });
    expect(login.statusCode).toBe(403);
    expect(login.json().detail).toMatch(/agent principal and cannot log in/);
    await expect(
      createToken(
        t.res.db,
        clock,
        { actor: SYSTEM_ACTOR },
        { userId: principal.id, name: 'plain', scopes: ['read'] },
      ),
    ).rejects.toThrow(/holds only tokens delegated/);
    const admin = await t.user('admin');
    const squat = await call('POST', '/api/users', bearer(admin.token), {
      username: 'agent-lookalike',
      email: 'lookalike@example.test',
      password: 'long-enough-password',
    });
    expect(squat.statusCode).toBe(400);
    expect(squat.json().detail).toMatch(/kept for agent principals/);
    const users = (await call('GET', '/api/users?limit=100', bearer(admin.token))).json().items;
    expect(users.find((u: { id: string }) => u.id === principal.id)?.kind).toBe('agent');
    expect(users.find((u: { id: string }) => u.id === alice.user.id)?.kind).toBe('human');
  });
});
