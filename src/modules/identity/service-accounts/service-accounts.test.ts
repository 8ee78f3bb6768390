import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { until } from '../../../../test/support/until.ts';

/**
 * Service accounts: made by admins, no password, tokens only (issued by admins, shown once),
 * members of projects like people, disabled with the ordinary user update. Real PostgreSQL.
 */
let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;
let member: Awaited<ReturnType<TestApp['user']>>;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const call = (method: Method, url: string, token: string, payload?: object) =>
  t.http.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

const sql = async <T>(text: string, values: unknown[] = []) =>
  (await t.res.db.query(text, values)).rows as T[];

let counter = 0;
async function createAccount(body: Record<string, unknown> = {}) {
  const res = await call('POST', '/api/admin/service-accounts', admin.token, {
    username: `ci-bot-${++counter}`,
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; username: string; role: string };
}

async function issue(id: string, body: Record<string, unknown> = {}) {
  const res = await call('POST', `/api/admin/service-accounts/${id}/tokens`, admin.token, {
    name: 'deploys',
    scopes: ['read', 'write'],
    expiresInDays: 30,
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; token: string; name: string; prefix: string };
}

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.tokenPerMinute': 100_000 });
  admin = await t.user('admin');
  member = await t.user('member');
});
afterAll(async () => t?.close());

describe('service accounts', () => {
  it('are created by admins as accounts of kind service with no password, audited in the same transaction', async () => {
    const created = await call('POST', '/api/admin/service-accounts', admin.token, {
      username: 'Nightly-Backup',
      description: 'Backs the database up every night',
    });
    expect(created.statusCode, created.body).toBe(201);
    const account = created.json();
    expect(account).toMatchObject({
      username: 'nightly-backup',
      description: 'Backs the database up every night',
      role: 'member',
      kind: 'service',
      disabled: false,
      tokens: { active: 0, total: 0 },
      lastUsedAt: null,
    });
    const [row] = await sql<{ kind: string; password_hash: string | null; email: string }>(
      'SELECT kind, password_hash, email FROM users WHERE id = $1',
      [account.id],
    );
    expect(row).toEqual({ kind: 'service', password_hash: null, email: 'nightly-backup@services.invalid' });
    const [audit] = await sql<{ actor_name: string; data: Record<string, unknown> }>(
      "SELECT actor_name, data FROM audit_log WHERE action = 'service_account.create' AND target_id = $1",
      [account.id],
    );
    expect(audit).toMatchObject({ actor_name: admin.user.username, data: { username: 'nightly-backup' } });

    const admins = await createAccount({ role: 'admin' });
    expect(admins.role).toBe('admin');
  });

  it('refuses members, agent tokens, names kept for agents and names already taken', async () => {
    const byMember = await call('POST', '/api/admin/service-accounts', member.token, { username: 'sneaky' });
    expect(byMember.statusCode).toBe(403);
    const agentName = await call('POST', '/api/admin/service-accounts', admin.token, { username: 'agent-x' });
    expect(agentName.statusCode).toBe(400);
    expect(agentName.json().detail).toMatch(/kept for agent principals/);
    const taken = await call('POST', '/api/admin/service-accounts', admin.token, {
      username: member.user.username,
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().detail).toMatch(/already exists/);
    expect((await call('GET', '/api/admin/service-accounts', member.token)).statusCode).toBe(403);
    expect(await sql('SELECT 1 FROM users WHERE username = ANY($1)', [['sneaky', 'agent-x']])).toHaveLength(
      0,
    );
  });

  it('get tokens from admins, shown once, that work at once and count in the list with their last use', async () => {
    const account = await createAccount({ description: 'CI' });
    const issued = await issue(account.id);
    expect(issued.token).toMatch(/^orch_/);
    expect(issued.token.startsWith(issued.prefix)).toBe(true);
    // The secret is never listed again, nor stored.
    const tokens = await call('GET', `/api/admin/service-accounts/${account.id}/tokens`, admin.token);
    expect(tokens.statusCode, tokens.body).toBe(200);
    expect(tokens.json().items).toEqual([expect.objectContaining({ id: issued.id, name: 'deploys' })]);
    expect(tokens.body).not.toContain(issued.token);
    expect(JSON.stringify(await sql('SELECT * FROM api_tokens WHERE id = $1', [issued.id]))).not.toContain(
      issued.token,
    );
    const [audit] = await sql<{ data: Record<string, unknown> }>(
      "SELECT data FROM audit_log WHERE action = 'token.create' AND target_id = $1",
      [issued.id],
    );
    expect(audit!.data).toMatchObject({ user: account.username, scopes: ['read', 'write'] });

    const me = await call('GET', '/api/auth/me', issued.token);
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({ user: { id: account.id, kind: 'service' }, via: 'token' });

    const listed = await until(
      async () => {
        const items = (await call('GET', '/api/admin/service-accounts?limit=200', admin.token)).json().items;
        const mine = items.find((a: { id: string }) => a.id === account.id);
        return mine?.lastUsedAt ? mine : undefined;
      },
      15_000,
      'the token’s use to be recorded',
      100,
    );
    expect(listed).toMatchObject({ description: 'CI', tokens: { active: 1, total: 1 } });
  });

  it('hold no scope beyond their role, nor one the issuing admin lacks', async () => {
    const account = await createAccount();
    const beyondRole = await call('POST', `/api/admin/service-accounts/${account.id}/tokens`, admin.token, {
      name: 'too much',
      scopes: ['admin'],
    });
    expect(beyondRole.statusCode).toBe(403);
    expect(beyondRole.json().detail).toMatch(/member cannot hold the admin scope/);
    const readOnlyAdmin = await t.user('admin', ['read', 'write', 'admin']);
    const ok = await call('POST', `/api/admin/service-accounts/${account.id}/tokens`, readOnlyAdmin.token, {
      name: 'fine',
      scopes: ['read'],
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('answer 404 for an id that is a person’s or nobody’s', async () => {
    for (const id of [member.user.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await call('POST', `/api/admin/service-accounts/${id}/tokens`, admin.token, {
        name: 'x',
        scopes: ['read'],
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().detail).toMatch(/No such service account/);
      expect((await call('GET', `/api/admin/service-accounts/${id}/tokens`, admin.token)).statusCode).toBe(
        404,
      );
    }
    expect(
      await sql('SELECT 1 FROM api_tokens WHERE user_id = $1 AND name = $2', [member.user.id, 'x']),
    ).toEqual([]);
  });

  it('have their tokens revoked by admins, refused at once', async () => {
    const account = await createAccount();
    const issued = await issue(account.id);
    expect((await call('GET', '/api/auth/me', issued.token)).statusCode).toBe(200);
    const revoked = await call('DELETE', `/api/tokens/${issued.id}`, admin.token);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    const after = await call('GET', '/api/auth/me', issued.token);
    expect(after.statusCode).toBe(401);
    const list = (await call('GET', '/api/admin/service-accounts?limit=200', admin.token)).json().items;
    expect(list.find((a: { id: string }) => a.id === account.id).tokens).toEqual({ active: 0, total: 1 });
  });

  it('are disabled and enabled with the user update, their tokens with them', async () => {
    const account = await createAccount();
    const { token } = await issue(account.id);
    expect((await call('GET', '/api/auth/me', token)).statusCode).toBe(200);
    const off = await call('PATCH', `/api/users/${account.id}`, admin.token, { disabled: true });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ kind: 'service', disabled: true });
    const refused = await call('GET', '/api/auth/me', token);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toMatch(/disabled/);
    expect(
      (await call('PATCH', `/api/users/${account.id}`, admin.token, { disabled: false })).statusCode,
    ).toBe(200);
    expect((await call('GET', '/api/auth/me', token)).statusCode).toBe(200);
  });

  it('become project members by name like people, and work there with their token', async () => {
    const account = await createAccount();
    const { token } = await issue(account.id);
    const project = await call('POST', '/api/projects', member.token, { name: 'Svc project' });
    expect(project.statusCode, project.body).toBe(201);
    const slug = project.json().slug;
    expect((await call('GET', `/api/projects/${slug}`, token)).statusCode).toBe(403);
    const added = await call('PUT', `/api/projects/${slug}/members/${account.username}`, member.token, {
      role: 'developer',
    });
    expect(added.statusCode, added.body).toBe(200);
    const members = (await call('GET', `/api/projects/${slug}/members`, member.token)).json().items;
    expect(members).toContainEqual(
      expect.objectContaining({ username: account.username, kind: 'service', role: 'developer' }),
    );
    expect((await call('GET', `/api/projects/${slug}`, token)).json().role).toBe('developer');
    const filed = await call('POST', `/api/projects/${slug}/issues`, token, { title: 'Filed by CI' });
    expect(filed.statusCode, filed.body).toBe(201);
  });

  it('list oldest first, in pages', async () => {
    for (let i = 0; i < 3; i++) await createAccount();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/admin/service-accounts?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await call('GET', url, admin.token)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((a: { id: string }) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await sql<{ id: string }>(
      "SELECT id FROM users WHERE kind = 'service' ORDER BY created_at, id",
    );
    expect(seen).toEqual(all.map((r) => r.id));
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });
});
