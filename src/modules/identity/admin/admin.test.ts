import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { agentProjects } from '../../projects/index.ts';
import { authenticateToken } from '../authenticate.ts';
import { delegateToken } from '../delegate-token.ts';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;
beforeAll(async () => {
  t = await createTestApp({ publicUrl: 'https://orchard.example.test/', secureCookies: true });
  admin = await t.user('admin');
});
afterAll(async () => t?.close());

interface Listed {
  id: string;
  name: string;
  prefix: string;
  owner: { username: string; kind: string };
  delegation: { byUsername: string | null; projectId: string | null } | null;
  state: string;
}
async function tokens(query: string): Promise<{ items: Listed[]; nextCursor: string | null }> {
  const res = await t.http.inject({ url: `/api/admin/tokens?${query}`, headers: bearer(admin.token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('every token on the instance (admins)', () => {
  it("lists anyone's tokens with owner, delegation and state, filters and pages them, and never shows a secret", async () => {
    const alice = await t.user('member');
    const made: string[] = [];
    for (const name of ['ci', 'laptop', 'old']) {
      const res = await t.http.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: bearer(alice.token),
        payload: { name, scopes: ['read'] },
      });
      made.push(res.json().token);
    }
    const project = (
      await t.http.inject({
        method: 'POST',
        url: '/api/projects',
        headers: bearer(alice.token),
        payload: { name: 'Tokens shop' },
      })
    ).json();
    await delegateToken(
      { db: t.res.db, clock: t.res.clock, projects: agentProjects(t.res.db) },
      {
        delegatedBy: await authenticateToken(t.res.db, t.res.clock, alice.token),
        projectId: project.id,
        agentSessionId: randomUUID(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    );

    const all = await tokens(`user=${alice.user.username}&limit=200`);
    // The test token, three of hers, and the agent's delegated by her.
    expect(all.items).toHaveLength(5);
    const body = JSON.stringify(all);
    for (const secret of made) expect(body).not.toContain(secret);
    expect(body).not.toMatch(/token_hash|"hash"/);
    const agentToken = all.items.find((i) => i.delegation)!;
    expect(agentToken).toMatchObject({
      owner: { kind: 'agent' },
      delegation: { byUsername: alice.user.username, projectId: project.id },
      state: 'active',
    });
    expect(all.items.filter((i) => i.owner.username === alice.user.username)).toHaveLength(4);

    // An admin revokes one of hers with the ordinary route; it shows as revoked and stops working.
    const old = all.items.find((i) => i.name === 'old')!;
    const revoked = await t.http.inject({
      method: 'DELETE',
      url: `/api/tokens/${old.id}`,
      headers: bearer(admin.token),
    });
    expect(revoked.statusCode).toBe(200);
    expect((await t.http.inject({ url: '/api/auth/me', headers: bearer(made[2]!) })).statusCode).toBe(401);
    const gone = await tokens(`user=${alice.user.username}&state=revoked`);
    expect(gone.items.map((i) => i.name)).toEqual(['old']);
    const active = await tokens(`user=${alice.user.username}&state=active`);
    expect(active.items.map((i) => i.name)).not.toContain('old');
    expect(active.items).toHaveLength(4);

    // Newest first, two at a time, with no token twice.
    const first = await tokens(`user=${alice.user.username}&limit=2`);
    const second = await tokens(`user=${alice.user.username}&limit=2&cursor=${first.nextCursor}`);
    const third = await tokens(`user=${alice.user.username}&limit=2&cursor=${second.nextCursor}`);
    expect(third.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items, ...third.items].map((i) => i.id);
    expect(new Set(ids).size).toBe(5);
    expect(ids).toEqual(all.items.map((i) => i.id));
  });

  it('is for instance admins only', async () => {
    const member = await t.user('member');
    for (const url of ['/api/admin/tokens', '/api/admin/instance']) {
      const res = await t.http.inject({ url, headers: bearer(member.token) });
      expect(res.statusCode, url).toBe(403);
    }
  });
});

describe('the instance summary', () => {
  it('says how the instance is set up, without any secret', async () => {
    const res = await t.http.inject({ url: '/api/admin/instance', headers: bearer(admin.token) });
    expect(res.statusCode).toBe(200);
    const summary = res.json();
    expect(summary).toMatchObject({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      // The tests' database is given by URL, as an external one is.
      database: 'external',
      publicUrl: 'https://orchard.example.test/',
      secureCookies: true,
      deploy: { privateByDefault: true, domain: 'localhost' },
      oidcProviders: 0,
    });
    const scopes = summary.budgets.map((b: { scope: string }) => b.scope);
    expect(scopes).toEqual(['Agent session', 'Automation task']);
    expect(summary.budgets[0].defaults).toEqual({
      maxSteps: 40,
      maxTokens: 400_000,
      maxCostUsd: 2,
      maxWallMinutes: 20,
    });
    const text = res.body;
    expect(text).not.toContain(t.config.databaseUrl!);
    const dbHost = new URL(t.config.databaseUrl!).host;
    if (dbHost) expect(text).not.toContain(dbHost);
    if (t.config.masterKey) expect(text).not.toContain(t.config.masterKey);
  });
});
