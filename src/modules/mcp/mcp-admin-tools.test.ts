import { randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import { listenApp } from '../../../test/git.ts';
import { authenticateToken, delegateToken } from '../identity/index.ts';
import { agentProjects } from '../projects/index.ts';
import { McpClients } from './mcp-clients.test-support.ts';

/**
 * The admin tools, driven by the official MCP client: accounts and the audit log for instance
 * admins, a person's own tokens and email for everyone — exactly what the identity routes allow.
 */
let t: TestApp;
let base: string;
const clients = new McpClients(() => base);
let admin: Awaited<ReturnType<TestApp['user']>>;
let member: Awaited<ReturnType<TestApp['user']>>;
let readOnly: Awaited<ReturnType<TestApp['user']>>;

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.tokenPerMinute': 100_000, 'rateLimit.ipPerMinute': 100_000 });
  base = await listenApp(t);
  admin = await t.user('admin');
  member = await t.user('member');
  readOnly = await t.user('member', ['read']);
});
afterAll(async () => {
  await clients.closeAll();
  await t?.close();
});

function connect(token: string): Promise<Client> {
  return clients.connect(token);
}

type Content = Array<{ text: string }>;
async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as Content;
  return { isError: Boolean(result.isError), text: content[0]!.text, content };
}
async function ok(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await call(client, name, args);
  expect(result.isError, result.text).toBe(false);
  return JSON.parse(result.text);
}
const http = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
  t.http.inject({ method, url, headers: bearer(token), payload });

const ADMIN_ONLY = ['create_user', 'list_users', 'query_audit'];

describe('the admin tools', () => {
  it('are offered as their routes allow: all to admins, own tokens and account to members, no changes to read-only tokens', async () => {
    const names = async (token: string) =>
      (await (await connect(token)).listTools()).tools
        .filter((tool) => [...ADMIN_ONLY, 'list_tokens', 'revoke_token', 'update_user'].includes(tool.name))
        .map((tool) => tool.name)
        .sort();
    expect(await names(admin.token)).toEqual([
      'create_user',
      'list_tokens',
      'list_users',
      'query_audit',
      'revoke_token',
      'update_user',
    ]);
    expect(await names(member.token)).toEqual(['list_tokens', 'revoke_token', 'update_user']);
    expect(await names(readOnly.token)).toEqual(['list_tokens']);
    const refused = await call(await connect(member.token), 'list_users', {});
    expect(refused).toMatchObject({ isError: true, text: expect.stringMatching(/not found/) });
  });

  it('create a user, list users, change a role and disable an account, as the routes do; each is audited', async () => {
    const client = await connect(admin.token);
    const created = await ok(client, 'create_user', {
      username: 'mcp-made',
      email: 'mcp-made@example.test',
      password: 'a long enough password',
    });
    expect(created).toMatchObject({ username: 'mcp-made', role: 'member', disabled: false });
    const listed = await ok(client, 'list_users', { limit: 100 });
    expect(listed).toEqual((await http('GET', '/api/users?limit=100', admin.token)).json());
    expect(listed.items.map((u: { username: string }) => u.username)).toContain('mcp-made');

    const promoted = await ok(client, 'update_user', { id: created.id, role: 'admin' });
    expect(promoted).toMatchObject({ id: created.id, role: 'admin' });
    const disabled = await ok(client, 'update_user', { id: created.id, disabled: true });
    expect(disabled).toMatchObject({ disabled: true });
    const login = await t.http.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'mcp-made', password: 'a long enough password' },
    });
    expect(login.statusCode).toBeGreaterThanOrEqual(400);

    const audit = await ok(client, 'query_audit', { action: 'user.update', limit: 10 });
    expect(audit).toEqual((await http('GET', '/api/audit?action=user.update&limit=10', admin.token)).json());
    expect(audit.items.map((e: { data: { disabled?: boolean; role?: string } }) => e.data)).toEqual([
      expect.objectContaining({ disabled: true }),
      expect.objectContaining({ role: 'admin' }),
    ]);
    expect(audit.items[0]).toMatchObject({
      actor: { name: admin.user.username },
      target: { id: created.id },
    });
    const since = await ok(client, 'query_audit', { action: 'user.create', since: '2999-01-01T00:00:00Z' });
    expect(since.items).toEqual([]);
  });

  it("list and revoke a member's own tokens; another's token is not found, another's account is refused", async () => {
    const second = await http('POST', '/api/tokens', member.token, { name: 'laptop', scopes: ['read'] });
    expect(second.statusCode, second.body).toBe(201);
    const client = await connect(member.token);
    const tokens = await ok(client, 'list_tokens');
    expect(tokens).toEqual((await http('GET', '/api/tokens', member.token)).json());
    expect(tokens.items.map((k: { name: string }) => k.name).sort()).toEqual(['laptop', 'test']);
    expect(JSON.stringify(tokens)).not.toContain(second.json().token);

    const revoked = await ok(client, 'revoke_token', { id: second.json().id });
    expect(revoked).toMatchObject({ id: second.json().id, revokedAt: expect.any(String) });
    expect((await http('GET', '/api/auth/me', second.json().token)).statusCode).toBe(401);

    const adminTokens = (await http('GET', '/api/tokens', admin.token)).json().items;
    const foreign = await call(client, 'revoke_token', { id: adminTokens[0].id });
    expect(foreign).toMatchObject({ isError: true, text: 'No such token.' });
    expect(JSON.parse(foreign.content[1]!.text)).toMatchObject({ status: 404 });
    expect((await http('GET', '/api/auth/me', admin.token)).statusCode).toBe(200);

    const other = await call(client, 'update_user', { id: admin.user.id, email: 'taken@example.test' });
    expect(other).toMatchObject({ isError: true, text: 'Only instance admins may change other users.' });
    expect(JSON.parse(other.content[1]!.text)).toMatchObject({ status: 403, code: 'forbidden' });
    const promote = await call(client, 'update_user', { id: member.user.id, role: 'admin' });
    expect(promote).toMatchObject({ isError: true, text: expect.stringMatching(/Only instance admins/) });
    const email = await ok(client, 'update_user', { id: member.user.id, email: 'me-again@example.test' });
    expect(email).toMatchObject({ email: 'me-again@example.test', role: 'member' });
  });

  it('answer bad input with what to fix, and take no password', async () => {
    const client = await connect(admin.token);
    const badEmail = await call(client, 'create_user', {
      username: 'bad-mail',
      email: 'not an email',
      password: 'a long enough password',
    });
    expect(badEmail.isError).toBe(true);
    expect(badEmail.text).toMatch(/email/);
    const nothing = await call(client, 'update_user', { id: member.user.id });
    expect(nothing).toMatchObject({ isError: true, text: expect.stringMatching(/role, disabled, email/) });
    const password = await call(client, 'update_user', { id: member.user.id, password: 'new password here' });
    expect(password.isError).toBe(true);
    const badId = await call(client, 'revoke_token', { id: 'nope' });
    expect(badId).toMatchObject({ isError: true, text: expect.stringMatching(/id/) });
    const users = (await http('GET', '/api/users?limit=200', admin.token)).json().items;
    expect(users.map((u: { username: string }) => u.username)).not.toContain('bad-mail');
  });
});

describe('the service-account and delegation tools', () => {
  it('create and list service accounts for admins only, issuing no token', async () => {
    const client = await connect(admin.token);
    const created = await ok(client, 'create_service_account', {
      username: 'mcp-bot',
      description: 'From MCP',
    });
    expect(created).toMatchObject({ username: 'mcp-bot', kind: 'service', tokens: { active: 0, total: 0 } });
    expect(JSON.stringify(created)).not.toMatch(/orch_/);
    const listed = await ok(client, 'list_service_accounts', { limit: 50 });
    expect(listed).toEqual((await http('GET', '/api/admin/service-accounts?limit=50', admin.token)).json());
    expect(listed.items.map((a: { username: string }) => a.username)).toContain('mcp-bot');
    const tools = (await (await connect(member.token)).listTools()).tools.map((tool) => tool.name);
    expect(tools).not.toContain('create_service_account');
    expect(tools).not.toContain('list_all_delegations');
    expect(tools).toEqual(expect.arrayContaining(['list_delegations', 'revoke_delegation']));
  });

  it("list a person's delegations and revoke one, which its agent then cannot use", async () => {
    const project = await http('POST', '/api/projects', member.token, { name: 'Mcp delegations' });
    expect(project.statusCode, project.body).toBe(201);
    const delegated = await delegateToken(
      { db: t.res.db, clock: t.res.clock, projects: agentProjects(t.res.db) },
      {
        delegatedBy: await authenticateToken(t.res.db, t.res.clock, member.token),
        projectId: project.json().id,
        agentSessionId: randomUUID(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    );
    const client = await connect(member.token);
    const mine = await ok(client, 'list_delegations', { active: 'true' });
    expect(mine).toEqual((await http('GET', '/api/delegations?active=true', member.token)).json());
    expect(mine.items.map((d: { id: string }) => d.id)).toEqual([delegated.tokenId]);
    const everyone = await ok(await connect(admin.token), 'list_all_delegations', {
      user: member.user.username,
    });
    expect(everyone.items.map((d: { id: string }) => d.id)).toEqual([delegated.tokenId]);

    // Not another person's to revoke: to them it does not exist.
    expect((await ok(await connect(admin.token), 'list_delegations')).items).toEqual([]);
    const stranger = await call(await connect((await t.user('member')).token), 'revoke_delegation', {
      id: delegated.tokenId,
    });
    expect(stranger).toMatchObject({ isError: true, text: expect.stringMatching(/No such delegation/) });
    const revoked = await ok(client, 'revoke_delegation', { id: delegated.tokenId });
    expect(revoked).toMatchObject({ id: delegated.tokenId, status: 'revoked' });
    expect((await http('GET', '/api/auth/me', delegated.token)).statusCode).toBe(401);
  });
});
