import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { until } from '../../../../test/support/until.ts';
import { agentProjects } from '../../projects/index.ts';
import { authenticateToken } from '../authenticate.ts';
import { delegateToken } from '../delegate-token.ts';

/**
 * Delegations — tokens people delegate to their projects' agent principals — listed for the person
 * and for admins, and revoked one by one or together, with real delegated tokens: a revoked one is
 * refused on its very next request.
 */
let t: TestApp;
let alice: Awaited<ReturnType<TestApp['user']>>;
let bob: Awaited<ReturnType<TestApp['user']>>;
let admin: Awaited<ReturnType<TestApp['user']>>;
const projects: Record<string, string> = {};

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const call = (method: Method, url: string, token: string, payload?: object) =>
  t.http.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

const sql = async <T>(text: string, values: unknown[] = []) =>
  (await t.res.db.query(text, values)).rows as T[];

/** A delegation by `who` to `slug`'s agent for a new agent session (or `session`). */
async function delegate(who: { token: string }, slug: string, session = randomUUID()) {
  const delegated = await delegateToken(
    { db: t.res.db, clock: t.res.clock, projects: agentProjects(t.res.db) },
    {
      delegatedBy: await authenticateToken(t.res.db, t.res.clock, who.token),
      projectId: projects[slug]!,
      agentSessionId: session,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  );
  return { ...delegated, session };
}

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.tokenPerMinute': 100_000 });
  alice = await t.user('member');
  bob = await t.user('member');
  admin = await t.user('admin');
  for (const slug of ['orchard-shop', 'orchard-blog']) {
    const res = await call('POST', '/api/projects', alice.token, { name: slug, slug });
    expect(res.statusCode, res.body).toBe(201);
    projects[slug] = res.json().id;
  }
  expect(
    (
      await call('PUT', '/api/projects/orchard-shop/members/' + bob.user.username, alice.token, {
        role: 'developer',
      })
    ).statusCode,
  ).toBe(200);
});
afterAll(async () => t?.close());

describe('listing delegations', () => {
  it('shows a person the delegations made on their behalf, and only theirs', async () => {
    const mine = await delegate(alice, 'orchard-shop');
    const theirs = await delegate(bob, 'orchard-shop');
    // Used once, so its last use shows (written off the request path, within seconds).
    expect((await call('GET', '/api/projects/orchard-shop', mine.token)).statusCode).toBe(200);

    const listed = await until(
      async () => {
        const page = (
          await call('GET', `/api/delegations?agentSessionId=${mine.session}`, alice.token)
        ).json();
        return page.items[0]?.lastUsedAt ? page : undefined;
      },
      15_000,
      'the delegated token’s last use',
      100,
    );
    expect(listed.items).toEqual([
      {
        id: mine.tokenId,
        agent: { id: mine.principal.id, username: 'agent-orchard-shop' },
        delegatedBy: { id: alice.user.id, username: alice.user.username },
        project: { id: projects['orchard-shop'], slug: 'orchard-shop' },
        pushBranches: 'orchard/*',
        agentSessionId: mine.session,
        scopes: ['write'],
        status: 'active',
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        expiresAt: mine.expiresAt.toISOString(),
        revokedAt: null,
      },
    ]);
    const all = (await call('GET', '/api/delegations?limit=200', alice.token)).json().items;
    expect(all.map((d: { id: string }) => d.id)).toContain(mine.tokenId);
    expect(all.map((d: { id: string }) => d.id)).not.toContain(theirs.tokenId);
    expect(all.every((d: { delegatedBy: { id: string } }) => d.delegatedBy.id === alice.user.id)).toBe(true);
    // The secret itself never shows.
    expect(JSON.stringify(all)).not.toContain(mine.token);
  });

  it('filters by project and by whether the delegation still holds', async () => {
    const blog = await delegate(alice, 'orchard-blog');
    const gone = await delegate(alice, 'orchard-blog');
    expect((await call('DELETE', `/api/delegations/${gone.tokenId}`, alice.token)).statusCode).toBe(200);
    const inBlog = (await call('GET', '/api/delegations?project=orchard-blog&limit=200', alice.token)).json()
      .items;
    expect(inBlog.map((d: { id: string }) => d.id).sort()).toEqual([blog.tokenId, gone.tokenId].sort());
    const active = (
      await call('GET', '/api/delegations?project=orchard-blog&active=true&limit=200', alice.token)
    ).json().items;
    expect(active.map((d: { id: string }) => d.id)).toEqual([blog.tokenId]);
    const unknown = await call('GET', '/api/delegations?project=no-such-project', alice.token);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toMatch(/No project "no-such-project"/);
  });

  it('lists everyone’s to admins, by person and project, in pages without gaps or repeats', async () => {
    for (let i = 0; i < 3; i++) await delegate(bob, 'orchard-shop');
    const expected = await sql<{ id: string }>(
      'SELECT id FROM api_tokens WHERE delegated_by = $1 AND project_id = $2 ORDER BY created_at DESC, id DESC',
      [bob.user.id, projects['orchard-shop']],
    );
    expect(expected.length).toBeGreaterThanOrEqual(4);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/admin/delegations?user=${bob.user.username}&project=orchard-shop&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await call('GET', url, admin.token);
      expect(page.statusCode, page.body).toBe(200);
      expect(page.json().items.length).toBeLessThanOrEqual(2);
      seen.push(...page.json().items.map((d: { id: string }) => d.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected.map((r) => r.id));
    const everyone = (await call('GET', '/api/admin/delegations?limit=200', admin.token)).json().items;
    const by = new Set(everyone.map((d: { delegatedBy: { id: string } }) => d.delegatedBy.id));
    expect(by).toEqual(new Set([alice.user.id, bob.user.id]));

    expect((await call('GET', '/api/admin/delegations', alice.token)).statusCode).toBe(403);
    const nobody = await call('GET', '/api/admin/delegations?user=nobody-here', admin.token);
    expect(nobody.statusCode).toBe(404);
  });

  it('is refused to agent tokens, which cannot see or end delegations', async () => {
    const agent = await delegate(alice, 'orchard-shop');
    for (const [method, url] of [
      ['GET', '/api/delegations'],
      ['DELETE', `/api/delegations/${agent.tokenId}`],
      ['DELETE', '/api/delegations'],
    ] as const) {
      const res = await call(method, url, agent.token);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().detail).toMatch(/^Agent tokens cannot list or revoke delegations/);
    }
    expect((await call('GET', '/api/projects/orchard-shop', agent.token)).statusCode).toBe(200);
  });
});

describe('revoking a delegation', () => {
  it('refuses the agent’s token on its very next request, audited in the same transaction', async () => {
    const agent = await delegate(alice, 'orchard-shop');
    const h = agent.token;
    // Authenticated (and cached) before the revocation.
    expect((await call('GET', '/api/projects/orchard-shop', h)).statusCode).toBe(200);
    expect((await call('GET', '/api/projects/orchard-shop', h)).statusCode).toBe(200);

    // Only the person it acts for (or an admin) may: to anyone else it does not exist.
    const byBob = await call('DELETE', `/api/delegations/${agent.tokenId}`, bob.token);
    expect(byBob.statusCode).toBe(404);
    expect((await call('GET', '/api/projects/orchard-shop', h)).statusCode).toBe(200);

    const revoked = await call('DELETE', `/api/delegations/${agent.tokenId}`, alice.token);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({
      id: agent.tokenId,
      status: 'revoked',
      revokedAt: expect.any(String),
    });

    const next = await call('POST', '/api/projects/orchard-shop/issues', h, { title: 'Still here?' });
    expect(next.statusCode).toBe(401);
    expect(next.headers['content-type']).toContain('application/problem+json');
    expect(next.json().detail).toBe(
      `This agent token's delegation was revoked: agent-orchard-shop no longer acts for ${alice.user.username}.`,
    );
    expect((await call('GET', '/api/auth/me', h)).statusCode).toBe(401);
    expect(await sql("SELECT 1 FROM issues WHERE title = 'Still here?'")).toEqual([]);

    const audit = await sql<{ actor_name: string; project_id: string; data: Record<string, unknown> }>(
      "SELECT actor_name, project_id, data FROM audit_log WHERE action = 'delegation.revoke' AND target_id = $1",
      [agent.tokenId],
    );
    expect(audit).toEqual([
      {
        actor_name: alice.user.username,
        project_id: projects['orchard-shop'],
        data: {
          agent: 'agent-orchard-shop',
          delegatedBy: alice.user.username,
          agentSessionId: agent.session,
        },
      },
    ]);
    // Again: nothing changes, nothing more is written.
    const again = await call('DELETE', `/api/delegations/${agent.tokenId}`, alice.token);
    expect(again.statusCode).toBe(200);
    expect(again.json().revokedAt).toBe(revoked.json().revokedAt);
    expect(
      await sql("SELECT 1 FROM audit_log WHERE action = 'delegation.revoke' AND target_id = $1", [
        agent.tokenId,
      ]),
    ).toHaveLength(1);
  });

  it('is open to admins for anyone’s, and answers 404 for a token that is no delegation', async () => {
    const agent = await delegate(bob, 'orchard-shop');
    const res = await call('DELETE', `/api/delegations/${agent.tokenId}`, admin.token);
    expect(res.statusCode, res.body).toBe(200);
    expect((await call('GET', '/api/auth/me', agent.token)).statusCode).toBe(401);
    const plain = (
      await call('POST', '/api/tokens', alice.token, { name: 'plain', scopes: ['read'] })
    ).json();
    const notOne = await call('DELETE', `/api/delegations/${plain.id}`, admin.token);
    expect(notOne.statusCode).toBe(404);
    expect((await call('GET', '/api/auth/me', plain.token)).statusCode).toBe(200);
  });

  it('revokes all of a person’s in a project, or an agent session’s, leaving the rest', async () => {
    const session = randomUUID();
    const a = await delegate(alice, 'orchard-blog', session);
    const b = await delegate(alice, 'orchard-blog', session);
    const other = await delegate(alice, 'orchard-shop');
    const bobs = await delegate(bob, 'orchard-shop');

    const bySession = await call('DELETE', `/api/delegations?agentSessionId=${session}`, alice.token);
    expect(bySession.statusCode, bySession.body).toBe(200);
    expect(bySession.json().revoked).toBe(2);
    expect(
      bySession
        .json()
        .items.map((d: { id: string }) => d.id)
        .sort(),
    ).toEqual([a.tokenId, b.tokenId].sort());
    for (const token of [a.token, b.token])
      expect((await call('GET', '/api/auth/me', token)).statusCode).toBe(401);
    expect((await call('GET', '/api/auth/me', other.token)).statusCode).toBe(200);

    const byProject = await call('DELETE', '/api/delegations?project=orchard-shop', alice.token);
    expect(byProject.statusCode, byProject.body).toBe(200);
    expect(byProject.json().items.map((d: { id: string }) => d.id)).toContain(other.tokenId);
    expect((await call('GET', '/api/auth/me', other.token)).statusCode).toBe(401);
    // Bob's delegation in the same project is Bob's.
    expect((await call('GET', '/api/auth/me', bobs.token)).statusCode).toBe(200);
    expect(
      await sql<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_log WHERE action = 'delegation.revoke' AND target_id = ANY($1)",
        [[a.tokenId, b.tokenId, other.tokenId]],
      ),
    ).toEqual([{ n: 3 }]);

    // A member naming Bob's session revokes nothing of Bob's; an admin revokes it.
    const nothing = await call('DELETE', `/api/delegations?agentSessionId=${bobs.session}`, alice.token);
    expect(nothing.json().revoked).toBe(0);
    const byAdmin = await call('DELETE', `/api/delegations?agentSessionId=${bobs.session}`, admin.token);
    expect(byAdmin.json().revoked).toBe(1);
    expect((await call('GET', '/api/auth/me', bobs.token)).statusCode).toBe(401);
  });

  it('revokes every live one of the person with no filter', async () => {
    const one = await delegate(bob, 'orchard-shop');
    const two = await delegate(bob, 'orchard-shop');
    const res = await call('DELETE', '/api/delegations', bob.token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().revoked).toBeGreaterThanOrEqual(2);
    for (const token of [one.token, two.token])
      expect((await call('GET', '/api/auth/me', token)).statusCode).toBe(401);
    const live = (await call('GET', '/api/delegations?active=true', bob.token)).json().items;
    expect(live).toEqual([]);
  });
});
