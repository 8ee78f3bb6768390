import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import { addMember, createProjectAs, listenApp, startWorkers } from '../../../test/git.ts';
import { renderSpec } from '../agents/index.ts';
import {
  defineStep,
  defineWorkflow,
  NonRetryableError,
  type WorkerPool,
  waitForOperation,
} from '../operations/index.ts';
import { McpClients } from './mcp-clients.test-support.ts';

/**
 * MCP resources, read with the official client: projects' Blueprints and specs, operations' logs —
 * each behind the gate of the HTTP read it mirrors, and silent about what the caller may not read.
 */
let t: TestApp;
let base: string;
let workers: WorkerPool;
const slug = 'mcp-res';
const tokens: Record<string, string> = {};
const clients = new McpClients(() => base);
let blueprintId: string;
let projectOp: string;
let systemOp: string;

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.tokenPerMinute': 100_000, 'rateLimit.ipPerMinute': 100_000 });
  t.res.registry.add(
    defineWorkflow(
      'test.mcp-log',
      z.object({}),
      () => [
        { key: 'prepare', step: 'mcp-log.prepare' },
        { key: 'boom', step: 'mcp-log.boom', dependsOn: ['prepare'] },
      ],
      { apiStartable: true },
    ),
    defineStep('mcp-log.prepare', {
      handler: async (ctx) => {
        ctx.log('hello from the step\nsecond line');
        return 'ready';
      },
    }),
    defineStep('mcp-log.boom', {
      handler: async () => {
        throw new NonRetryableError('it broke');
      },
    }),
  );
  base = await listenApp(t);
  workers = await startWorkers(t);
  const owner = await t.user('member');
  tokens.owner = owner.token;
  tokens.admin = (await t.user('admin')).token;
  await createProjectAs(t, owner.token, slug);
  await createProjectAs(t, owner.token, 'mcp-res-empty');
  const viewer = await t.user('member');
  tokens.viewer = viewer.token;
  await addMember(t, owner.token, slug, viewer.user.username, 'viewer');
  tokens.outsider = (await t.user('member')).token;

  const created = await t.http.inject({
    method: 'POST',
    url: `/api/projects/${slug}/blueprints`,
    headers: bearer(owner.token),
    payload: { title: 'Recipes', architectMode: 'rules' },
  });
  expect(created.statusCode, created.body).toBe(201);
  blueprintId = created.json().id;

  const start = async (token: string, project?: string) => {
    const r = await t.http.inject({
      method: 'POST',
      url: '/api/operations',
      headers: bearer(token),
      payload: { kind: 'test.mcp-log', ...(project ? { project } : {}) },
    });
    expect(r.statusCode, r.body).toBe(202);
    const op = await waitForOperation(t.res.db, r.json().id, { timeoutMs: 30_000, bus: t.res.bus });
    expect(op.status).toBe('failed');
    return op.id;
  };
  projectOp = await start(owner.token, slug);
  systemOp = await start(tokens.admin);
});
afterAll(async () => {
  await clients.closeAll();
  await workers?.stop();
  await t?.close();
});

function connect(token: string): Promise<Client> {
  return clients.connect(token);
}

/** The text of a resource read's first (only) content. */
function textOf(result: Awaited<ReturnType<Client['readResource']>>): string {
  const [first] = result.contents;
  expect(first && 'text' in first, JSON.stringify(result)).toBe(true);
  return (first as { text: string }).text;
}

/** The error a read fails with (it must fail). */
async function refusal(client: Client, uri: string): Promise<McpError> {
  const error = await client.readResource({ uri }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `${uri} was read`).toBeInstanceOf(McpError);
  return error as McpError;
}

describe('resources/list', () => {
  it("lists the Blueprints and specs of the caller's projects that have one, and the templates", async () => {
    const owner = await connect(tokens.owner!);
    const { resources } = await owner.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual([
      `orchard://projects/${slug}/blueprint`,
      `orchard://projects/${slug}/spec`,
    ]);
    expect(resources.find((r) => r.uri.endsWith('/blueprint'))).toMatchObject({
      mimeType: 'application/json',
      title: expect.stringContaining('Recipes'),
    });
    const { resourceTemplates } = await owner.listResourceTemplates();
    expect(resourceTemplates.map((r) => r.uriTemplate).sort()).toEqual([
      'orchard://operations/{id}/log',
      'orchard://projects/{slug}/blueprint',
      'orchard://projects/{slug}/spec',
    ]);
    expect((await (await connect(tokens.viewer!)).listResources()).resources).toHaveLength(2);
    expect((await (await connect(tokens.outsider!)).listResources()).resources).toEqual([]);
  });
});

describe('resources/read', () => {
  it("reads a project's current Blueprint as JSON and its spec as Markdown, as a viewer", async () => {
    const viewer = await connect(tokens.viewer!);
    const shown = (
      await t.http.inject({ url: `/api/blueprints/${blueprintId}`, headers: bearer(tokens.viewer!) })
    ).json();
    const { architectAnswers: _who, ...expected } = shown;
    const json = await viewer.readResource({ uri: `orchard://projects/${slug}/blueprint` });
    expect(json.contents).toEqual([
      { uri: `orchard://projects/${slug}/blueprint`, mimeType: 'application/json', text: expect.any(String) },
    ]);
    expect(JSON.parse(textOf(json))).toEqual(expected);
    const spec = await viewer.readResource({ uri: `orchard://projects/${slug}/spec` });
    expect(spec.contents[0]).toMatchObject({ mimeType: 'text/markdown', text: renderSpec(shown.blueprint) });
  });

  it("reads an operation's events as a text log: its steps, their lines, the failure and the end", async () => {
    const client = await connect(tokens.viewer!);
    const log = await client.readResource({ uri: `orchard://operations/${projectOp}/log` });
    const text = textOf(log);
    expect(log.contents[0]!.mimeType).toBe('text/plain');
    const lines = text.split('\n');
    expect(lines[0]).toBe(`test.mcp-log ${projectOp}: failed (project ${slug})`);
    expect(text).toMatch(/prepare │ hello from the step\n.*prepare │ second line/);
    expect(text).toMatch(/prepare: succeeded/);
    expect(text).toMatch(/✗ boom failed.*: it broke/);
    expect(lines.filter(Boolean).at(-1)).toMatch(/■ failed: .*it broke/);
  });

  it('answers a resource the caller may not read exactly as one that does not exist', async () => {
    const outsider = await connect(tokens.outsider!);
    const hidden = await refusal(outsider, `orchard://projects/${slug}/blueprint`);
    const missing = await refusal(outsider, 'orchard://projects/no-such-project/blueprint');
    expect(hidden.code).toBe(-32002);
    expect(missing.code).toBe(-32002);
    expect(hidden.message.replace(slug, 'X')).toBe(missing.message.replace('no-such-project', 'X'));
    expect((await refusal(outsider, `orchard://projects/${slug}/spec`)).code).toBe(-32002);

    // A member of the project, not an admin: a system operation is as absent as no operation at all.
    const member = await connect(tokens.owner!);
    const system = await refusal(member, `orchard://operations/${systemOp}/log`);
    const none = await refusal(member, 'orchard://operations/00000000-0000-4000-8000-000000000000/log');
    const junk = await refusal(member, 'orchard://operations/junk/log');
    for (const error of [system, none, junk]) {
      expect(error.code).toBe(-32002);
      expect(error.message).toMatch(
        /^MCP error -32002: No resource orchard:\/\/operations\/.+\/log that you may read\.$/,
      );
    }
    expect((await refusal(outsider, `orchard://operations/${projectOp}/log`)).code).toBe(-32002);
    // An admin reads the system operation's log; a project without a Blueprint has none to read.
    const admin = await connect(tokens.admin!);
    const log = await admin.readResource({ uri: `orchard://operations/${systemOp}/log` });
    expect(textOf(log)).toMatch(/^test\.mcp-log .*: failed\n/);
    expect((await refusal(member, 'orchard://projects/mcp-res-empty/blueprint')).code).toBe(-32002);
  });
});
