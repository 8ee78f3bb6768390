import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import { SYSTEM_ACTOR } from '../../platform/http/actor.ts';
import { agentProjects } from '../projects/index.ts';
import { authenticateToken, reloadActor } from './authenticate.ts';
import { createToken } from './create-token.ts';
import { delegateToken } from './delegate-token.ts';
import { openSession } from './login.ts';
import { InjectBrowser, TEST_ORIGIN } from './passkeys/passkey-browser.test-support.ts';
import { SoftAuthenticator } from './passkeys/soft-authenticator.test-support.ts';
import { startPasskeyRegistration } from './passkeys/start-passkey-registration.ts';
import { findUserById, insertSession } from './store.ts';

/**
 * Only people hold sessions: every way one starts (password, passkey, first-run setup, a password
 * set on the account) refuses agents and service accounts with a 4xx saying why, a session cookie
 * of one is worth nothing even if such a session exists, and the database refuses both anyway.
 * Service accounts mint no tokens and drive no agents.
 */
let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;
let service: { id: string; username: string; token: string };
let agent: { id: string; username: string; token: string };
let slug: string;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const call = (method: Method, url: string, token: string, payload?: object) =>
  t.http.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

const sql = async <T>(text: string, values: unknown[] = []) =>
  (await t.res.db.query(text, values)).rows as T[];
const sessionsOf = async (userId: string) =>
  (await sql<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [userId]))[0]!.n;

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.tokenPerMinute': 100_000, 'rateLimit.loginPerMinute': 10_000 });
  admin = await t.user('admin');
  const created = await call('POST', '/api/admin/service-accounts', admin.token, { username: 'deploy-bot' });
  expect(created.statusCode, created.body).toBe(201);
  const issued = await call('POST', `/api/admin/service-accounts/${created.json().id}/tokens`, admin.token, {
    name: 'ci',
    scopes: ['read', 'write'],
  });
  service = { id: created.json().id, username: 'deploy-bot', token: issued.json().token };
  const project = await call('POST', '/api/projects', admin.token, { name: 'Kinds' });
  slug = project.json().slug;
  expect(
    (await call('PUT', `/api/projects/${slug}/members/deploy-bot`, admin.token, { role: 'developer' }))
      .statusCode,
  ).toBe(200);
  const delegated = await delegateToken(
    { db: t.res.db, clock: t.res.clock, projects: agentProjects(t.res.db) },
    {
      delegatedBy: await authenticateToken(t.res.db, t.res.clock, admin.token),
      projectId: project.json().id,
      agentSessionId: randomUUID(),
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  );
  agent = { ...delegated.principal, token: delegated.token };
});
afterAll(async () => t?.close());

describe('no sessions for agents and service accounts', () => {
  it('password login says what the account is, whatever password is sent', async () => {
    for (const who of [service, agent]) {
      const res = await t.http.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login: who.username, password: 'any password at all' },
      });
      expect(res.statusCode, who.username).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail).toMatch(
        who === service
          ? /is a service account and cannot log in/
          : /is an agent principal and cannot log in/,
      );
      expect(res.cookies.find((c) => c.name === 'orchard_session')).toBeUndefined();
      expect(await sessionsOf(who.id)).toBe(0);
    }
  });

  it('no password can be set on one: not by an admin, not by the account itself', async () => {
    for (const who of [service, agent]) {
      const res = await call('PATCH', `/api/users/${who.id}`, admin.token, {
        password: 'a-long-enough-password',
      });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().detail).toMatch(/has no password and never signs in/);
    }
    const self = await call('PATCH', `/api/users/${service.id}`, service.token, {
      password: 'a-long-enough-password',
    });
    expect(self.statusCode).toBe(422);
    expect((await findUserById(t.res.db, service.id))!.password_hash).toBeNull();
    expect(
      await sql("SELECT 1 FROM audit_log WHERE action = 'user.update' AND target_id = ANY($1)", [
        [service.id, agent.id],
      ]),
    ).toEqual([]);
  });

  it('a passkey that belongs to one signs nobody in, and says why', async () => {
    // A person with a passkey whose account then became a service account (nothing in Orchard
    // does that: this is the passkey check standing on its own).
    const person = await t.user('member');
    const authenticator = new SoftAuthenticator(TEST_ORIGIN);
    const browser = new InjectBrowser(t.http);
    await browser.password(person.user.username, person.password);
    expect((await browser.addPasskey(authenticator, 'phone')).statusCode).toBe(201);
    await sql('DELETE FROM sessions WHERE user_id = $1', [person.user.id]);
    await sql("UPDATE users SET kind = 'service', password_hash = NULL WHERE id = $1", [person.user.id]);
    const fresh = new InjectBrowser(t.http);
    const res = await fresh.passkeySignIn(authenticator);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().detail).toMatch(/belongs to .*, a service account, which cannot sign in/);
    expect(fresh.cookies.has('orchard_session')).toBe(false);
    expect(await sessionsOf(person.user.id)).toBe(0);
  });

  it('registering a passkey is refused even to a session that claims to be one', async () => {
    const ctx = {
      actor: {
        userId: service.id,
        username: service.username,
        role: 'member' as const,
        via: 'session' as const,
        scopes: ['read' as const, 'write' as const],
        sessionId: 'not-a-real-session',
      },
    };
    const rp = { origin: TEST_ORIGIN, rpID: 'localhost', name: 'Orchard' };
    await expect(startPasskeyRegistration(t.res.db, t.res.clock, ctx, { rp })).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/a service account: it never signs in/),
    });
    expect(await sql('SELECT 1 FROM passkey_challenges WHERE user_id = $1', [service.id])).toEqual([]);
  });

  it('every way in opens sessions through one door, which refuses them (setup, links, passkeys, password)', async () => {
    const row = (await findUserById(t.res.db, service.id))!;
    await expect(openSession(t.res.db, t.res.clock, row, { ttlHours: 1 })).rejects.toMatchObject({
      status: 403,
    });
    expect(await sessionsOf(service.id)).toBe(0);
    expect(
      await sql("SELECT 1 FROM audit_log WHERE action = 'session.create' AND target_id = $1", [service.id]),
    ).toEqual([]);
  });

  it('first-run setup makes a person', async () => {
    const fresh = await createTestApp();
    try {
      const res = await fresh.http.inject({
        method: 'POST',
        url: '/api/setup/admin',
        payload: { username: 'root', email: 'root@example.test', password: 'a-long-enough-password' },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().user).toMatchObject({ kind: 'human', role: 'admin' });
    } finally {
      await fresh.close();
    }
  });

  it('a session cookie of one is refused, should such a session exist', async () => {
    const person = await t.user('member');
    const login = await t.http.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: person.user.username, password: person.password },
    });
    expect(login.statusCode).toBe(200);
    const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
    // The session outlives the account turning into a service account (only SQL can do that).
    await sql("UPDATE users SET kind = 'service', password_hash = NULL WHERE id = $1", [person.user.id]);
    expect(await sessionsOf(person.user.id)).toBe(1);
    const me = await t.http.inject({ method: 'GET', url: '/api/auth/me', cookies });
    expect(me.statusCode).toBe(401);
    const [session] = await sql<{ id_hash: string }>('SELECT id_hash FROM sessions WHERE user_id = $1', [
      person.user.id,
    ]);
    await expect(
      reloadActor(t.res.db, t.res.clock, {
        userId: person.user.id,
        username: person.user.username,
        role: 'member',
        via: 'session',
        scopes: ['read', 'write'],
        sessionId: session!.id_hash,
      }),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('the database refuses a session or a password for them, whatever the code does', async () => {
    await expect(
      insertSession(t.res.db, {
        idHash: `test-${randomUUID()}`,
        userId: service.id,
        csrfToken: 'x',
        expiresAt: new Date(Date.now() + 3_600_000),
      }),
    ).rejects.toThrow(/only people hold sessions/);
    await expect(
      t.res.db.query("UPDATE users SET password_hash = 'scrypt$x' WHERE id = $1", [agent.id]),
    ).rejects.toThrow(/users_password_people_only/);
  });
});

describe('service accounts act with their tokens only', () => {
  it('mint no tokens of their own (an admin issues them)', async () => {
    const res = await call('POST', '/api/tokens', service.token, { name: 'mine', scopes: ['read'] });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toMatch(/deploy-bot is a service account: only people create API tokens/);
    expect(await sql("SELECT 1 FROM api_tokens WHERE user_id = $1 AND name = 'mine'", [service.id])).toEqual(
      [],
    );
    // The CLI (Orchard's own system actor) still can, as admins can through the API.
    const cli = await createToken(
      t.res.db,
      t.res.clock,
      { actor: SYSTEM_ACTOR },
      {
        userId: service.id,
        name: 'from the cli',
        scopes: ['read'],
      },
    );
    expect((await call('GET', '/api/auth/me', cli.token)).json().user.id).toBe(service.id);
  });

  it('delegate to no agent and start or instruct no agent session', async () => {
    const project = (await sql<{ id: string }>('SELECT id FROM projects WHERE slug = $1', [slug]))[0]!;
    await expect(
      delegateToken(
        { db: t.res.db, clock: t.res.clock, projects: agentProjects(t.res.db) },
        {
          delegatedBy: await authenticateToken(t.res.db, t.res.clock, service.token),
          projectId: project.id,
          agentSessionId: randomUUID(),
          expiresAt: new Date(Date.now() + 3_600_000),
        },
      ),
    ).rejects.toMatchObject({ status: 403, message: expect.stringMatching(/only active people/) });
    const started = await call('POST', `/api/projects/${slug}/agent-sessions`, service.token, {
      title: 'Do it',
      runtime: 'scaffold',
    });
    expect(started.statusCode, started.body).toBe(403);
    expect(started.json().detail).toMatch(/service account: only people start or instruct agent sessions/);
    expect(await sql('SELECT 1 FROM agent_sessions WHERE started_by = $1', [service.id])).toEqual([]);
    // A person's session: the service account may not send it a follow-up either.
    const mine = await call('POST', `/api/projects/${slug}/agent-sessions`, admin.token, {
      title: 'Mine',
      runtime: 'scaffold',
    });
    expect(mine.statusCode, mine.body).toBe(202);
    await sql("UPDATE agent_sessions SET status = 'succeeded' WHERE id = $1", [mine.json().id]);
    const followUp = await call('POST', `/api/agent-sessions/${mine.json().id}/messages`, service.token, {
      content: 'more',
    });
    expect(followUp.statusCode, followUp.body).toBe(403);
    expect(followUp.json().detail).toMatch(/only people start or instruct agent sessions/);
  });

  it('are never the agent a token is delegated to, even holding the agent’s name', async () => {
    const project = await call('POST', '/api/projects', admin.token, { name: 'Held', slug: 'held' });
    expect(project.statusCode, project.body).toBe(201);
    // Names starting with agent- are refused to service accounts; one made before that holds it.
    const [squatter] = await sql<{ id: string }>(
      `INSERT INTO users (username, email, role, kind) VALUES ('agent-held', 'agent-held@services.invalid', 'member', 'service') RETURNING id`,
    );
    const delegated = await delegateToken(
      { db: t.res.db, clock: t.res.clock, projects: agentProjects(t.res.db) },
      {
        delegatedBy: await authenticateToken(t.res.db, t.res.clock, admin.token),
        projectId: project.json().id,
        agentSessionId: randomUUID(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    );
    expect(delegated.principal.id).not.toBe(squatter!.id);
    expect(delegated.principal.username).toMatch(/^agent-held-[0-9a-f]{8}$/);
    expect((await findUserById(t.res.db, delegated.principal.id))!.kind).toBe('agent');
    expect(await sql('SELECT 1 FROM api_tokens WHERE user_id = $1', [squatter!.id])).toEqual([]);
  });
});
