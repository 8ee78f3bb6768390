import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import { addMember, commitFiles, createProjectAs, gitOk, listenApp, localRepo } from '../../../test/git.ts';
import { ensureRepository } from '../git/index.ts';
import { McpClients } from './mcp-clients.test-support.ts';

/**
 * The core tools over files and Blueprints, driven by the official MCP client: each answers what
 * the HTTP route it wraps answers, behind that route's gate.
 */
let t: TestApp;
let base: string;
const slug = 'mcp-core';
const tokens: Record<string, string> = {};
const clients = new McpClients(() => base);
let blueprintId: string;

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.tokenPerMinute': 100_000, 'rateLimit.ipPerMinute': 100_000 });
  base = await listenApp(t);
  const owner = await t.user('member');
  tokens.owner = owner.token;
  await createProjectAs(t, owner.token, slug);
  await createProjectAs(t, owner.token, 'mcp-core-empty');
  const viewer = await t.user('member');
  tokens.viewer = viewer.token;
  await addMember(t, owner.token, slug, viewer.user.username, 'viewer');
  tokens.outsider = (await t.user('member')).token;

  const work = await localRepo();
  await commitFiles(
    work,
    {
      'README.md': '# Recipe box\n',
      'src/app.ts': 'export const title = "Recipe box";\nconsole.log(title);\n',
      'src/long.txt': Array.from({ length: 2_500 }, (_, i) => `line ${i + 1}`).join('\n'),
      'logo.png': '\x89PNG\r\n\x1a\n\0\0\0binary',
    },
    'initial',
  );
  await gitOk(['push', '-q', await ensureRepository(t.config.home, slug), 'main'], work);

  const created = await t.http.inject({
    method: 'POST',
    url: `/api/projects/${slug}/blueprints`,
    headers: bearer(owner.token),
    payload: { title: 'Recipes', architectMode: 'rules' },
  });
  expect(created.statusCode, created.body).toBe(201);
  blueprintId = created.json().id;
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
async function ok(client: Client, name: string, args: Record<string, unknown>) {
  const result = await call(client, name, args);
  expect(result.isError, result.text).toBe(false);
  return JSON.parse(result.text);
}
const http = (url: string, token = tokens.owner!) => t.http.inject({ url, headers: bearer(token) });

describe('the file tools', () => {
  it('list a directory at a ref as the tree route does (main by default)', async () => {
    const client = await connect(tokens.viewer!);
    const root = await ok(client, 'list_files', { slug });
    expect(root).toEqual((await http(`/api/projects/${slug}/tree/main`)).json());
    expect(root.entries.map((e: { path: string }) => e.path)).toEqual(['src', 'logo.png', 'README.md']);
    const src = await ok(client, 'list_files', { slug, ref: 'main', path: 'src' });
    expect(src).toEqual((await http(`/api/projects/${slug}/tree/main/src`)).json());
    const missing = await call(client, 'list_files', { slug, path: 'nope' });
    expect(missing.isError).toBe(true);
    expect(JSON.parse(missing.content[1]!.text)).toMatchObject({ status: 404 });
  });

  it('read a text file as the blob route serves it, a page at a time, and name a binary file without showing it', async () => {
    const client = await connect(tokens.viewer!);
    const file = await ok(client, 'read_file', { slug, path: 'src/app.ts' });
    const raw = await http(`/api/projects/${slug}/blob/main/src/app.ts`);
    expect(file).toMatchObject({
      path: 'src/app.ts',
      ref: 'main',
      sha: raw.headers['x-orchard-commit'],
      binary: false,
      totalLines: 2,
      truncated: false,
      text: raw.body.replace(/\n$/, ''),
    });
    const first = await ok(client, 'read_file', { slug, path: 'src/long.txt' });
    expect(first).toMatchObject({ fromLine: 1, toLine: 2_000, totalLines: 2_500, truncated: true });
    expect(first.note).toMatch(/fromLine 2001/);
    const rest = await ok(client, 'read_file', { slug, path: 'src/long.txt', fromLine: 2_001 });
    expect(rest).toMatchObject({ fromLine: 2_001, toLine: 2_500, truncated: false });
    expect(rest.text.split('\n')[0]).toBe('line 2001');
    const image = await ok(client, 'read_file', { slug, path: 'logo.png' });
    expect(image).toMatchObject({ binary: true, contentType: 'image/png' });
    expect(image.note).toMatch(/binary file/);
    expect(image.text).toBeUndefined();
    const dir = await call(client, 'read_file', { slug, path: 'src' });
    expect(dir).toMatchObject({ isError: true, text: expect.stringMatching(/is a directory/) });
  });

  it('search files as the search route does, and refuse outsiders with the problem', async () => {
    const client = await connect(tokens.viewer!);
    const found = await ok(client, 'search_files', { slug, q: 'recipe BOX', ignoreCase: true });
    expect(found).toEqual((await http(`/api/projects/${slug}/search?q=recipe%20BOX&ignoreCase=true`)).json());
    expect(found.matches.map((m: { path: string; line: number }) => `${m.path}:${m.line}`)).toEqual([
      'README.md:1',
      'src/app.ts:1',
    ]);
    const globbed = await ok(client, 'search_files', { slug, q: 'title', path: '**/*.ts', limit: 1 });
    expect(globbed).toMatchObject({ truncated: true, matches: [{ path: 'src/app.ts', line: 1 }] });
    const outsider = await connect(tokens.outsider!);
    const refused = await call(outsider, 'search_files', { slug, q: 'recipe' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/not a member of project "mcp-core"/);
    const bad = await call(client, 'search_files', { slug, q: '' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/q/);
  });
});

describe('the Blueprint tools', () => {
  it("get a project's current Blueprint as GET /api/blueprints/:id shows it, or say there is none", async () => {
    const client = await connect(tokens.viewer!);
    const current = await ok(client, 'get_blueprint', { slug });
    expect(current).toEqual((await http(`/api/blueprints/${blueprintId}`)).json());
    expect(current).toMatchObject({ id: blueprintId, title: 'Recipes', architectAnswers: 'rules' });
    expect(await ok(client, 'get_blueprint', { slug, id: blueprintId })).toEqual(current);
    const none = await call(await connect(tokens.owner!), 'get_blueprint', { slug: 'mcp-core-empty' });
    expect(none).toMatchObject({ isError: true, text: expect.stringMatching(/has no Blueprint yet/) });
    // A Blueprint of another project is not found through this one.
    const other = await call(await connect(tokens.owner!), 'get_blueprint', {
      slug: 'mcp-core-empty',
      id: blueprintId,
    });
    expect(JSON.parse(other.content[1]!.text)).toMatchObject({ status: 404 });
  });

  it('patch a Blueprint (all or nothing, at the version read) and chat with its Architect, as the routes do', async () => {
    const client = await connect(tokens.owner!);
    const before = await ok(client, 'get_blueprint', { slug });
    const patched = await ok(client, 'patch_blueprint', {
      id: blueprintId,
      version: before.version,
      patch: [{ op: 'replace', path: '/summary', value: 'Keep recipes in one place.' }],
    });
    expect(patched).toMatchObject({
      version: before.version + 1,
      blueprint: { summary: 'Keep recipes in one place.' },
    });
    const stale = await call(client, 'patch_blueprint', {
      id: blueprintId,
      version: before.version,
      patch: [{ op: 'replace', path: '/summary', value: 'Lost update' }],
    });
    expect(stale.isError).toBe(true);
    expect(JSON.parse(stale.content[1]!.text)).toMatchObject({ status: 409 });

    const turn = await ok(client, 'chat_blueprint', {
      id: blueprintId,
      content: 'add entity Recipe with title:text!, minutes:number',
    });
    expect(turn).toMatchObject({
      mode: 'rules',
      reply: expect.any(String),
      blueprint: { version: patched.version + 1 },
    });
    expect(turn.snapshot.patch.length).toBeGreaterThan(0);
    expect(
      turn.blueprint.blueprint.sections.dataModel.entities.map((e: { name: string }) => e.name),
    ).toContain('Recipe');
    expect((await http(`/api/blueprints/${blueprintId}`)).json().version).toBe(turn.blueprint.version);
    const empty = await call(client, 'chat_blueprint', { id: blueprintId, content: '   ' });
    expect(empty.isError).toBe(true);
    expect(empty.text).toMatch(/content/);
  });

  it('are not offered to a viewer for changes, and refuse a viewer who calls them anyway: nothing changes', async () => {
    const viewer = await connect(tokens.viewer!);
    const names = (await viewer.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining(['get_blueprint', 'list_files', 'read_file', 'search_files']),
    );
    expect(names).not.toContain('patch_blueprint');
    expect(names).not.toContain('chat_blueprint');
    const version = (await http(`/api/blueprints/${blueprintId}`)).json().version;
    // Offered to a developer somewhere, refused in a project where it is a viewer.
    const developerElsewhere = await t.user('member');
    await createProjectAs(t, developerElsewhere.token, 'mcp-core-mine');
    await addMember(t, tokens.owner!, slug, developerElsewhere.user.username, 'viewer');
    const client = await connect(developerElsewhere.token);
    const patch = await call(client, 'patch_blueprint', {
      id: blueprintId,
      patch: [{ op: 'replace', path: '/summary', value: 'Sneaky' }],
    });
    expect(patch.isError).toBe(true);
    expect(patch.text).toMatch(/needs the developer role in project "mcp-core"; you are viewer/);
    const chat = await call(client, 'chat_blueprint', { id: blueprintId, content: 'add entity Sneaky' });
    expect(chat).toMatchObject({ isError: true, text: expect.stringMatching(/you are viewer/) });
    expect((await http(`/api/blueprints/${blueprintId}`)).json().version).toBe(version);
    const badId = await call(client, 'patch_blueprint', { id: 'nope', patch: [] });
    expect(badId.isError).toBe(true);
    expect(badId.text).toMatch(/id/);
  });
});
