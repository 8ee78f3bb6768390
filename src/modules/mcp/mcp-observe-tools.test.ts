import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer } from '../../../test/app.ts';
import { addMember } from '../../../test/git.ts';
import { type DeployFixture, deployFixture } from '../../../test/support/deploy-fixture.ts';
import { until } from '../../../test/support/until.ts';
import {
  createWorkerPool,
  defineStep,
  defineWorkflow,
  type WorkerPool,
  waitForOperation,
} from '../operations/index.ts';
import { McpClients } from './mcp-clients.test-support.ts';

/**
 * The observe tools an operation's events, LLM statistics and an app's log need, driven by the
 * official MCP client against a test Orchard that deploys a real (tiny) app.
 */
let f: DeployFixture;
let workers: WorkerPool;
let base: string;
const tokens: Record<string, string> = {};
const clients = new McpClients(() => base);
let operationId: string;

beforeAll(async () => {
  f = await deployFixture({}, { slug: 'mcp-observe' });
  f.t.res.registry.add(
    defineWorkflow(
      'test.mcp-events',
      z.object({}),
      () => [
        { key: 'one', step: 'mcp-events.say', input: { word: 'first' } },
        { key: 'two', step: 'mcp-events.say', input: { word: 'second' }, dependsOn: ['one'] },
      ],
      { apiStartable: true },
    ),
    defineStep<{ word: string }>('mcp-events.say', {
      handler: async (ctx) => {
        ctx.log(`${ctx.input.word} says hello`);
        await ctx.progress(1, 'said');
        return ctx.input.word;
      },
    }),
  );
  workers = createWorkerPool({
    res: f.t.res,
    registry: f.t.res.registry,
    queues: [],
    concurrency: 2,
    pollMs: 50,
  });
  await workers.start();
  base = `http://127.0.0.1:${f.port}`;
  tokens.admin = f.token;
  const viewer = await f.t.user('member');
  tokens.viewer = viewer.token;
  await addMember(f.t, f.token, f.slug, viewer.user.username, 'viewer');
  tokens.outsider = (await f.t.user('member')).token;

  const started = await f.t.http.inject({
    method: 'POST',
    url: '/api/operations',
    headers: bearer(f.token),
    payload: { kind: 'test.mcp-events', project: f.slug },
  });
  expect(started.statusCode, started.body).toBe(202);
  operationId = started.json().id;
  const op = await waitForOperation(f.t.res.db, operationId, { timeoutMs: 30_000, bus: f.t.res.bus });
  expect(op.status).toBe('succeeded');
});
afterAll(async () => {
  await clients.closeAll();
  await workers?.stop();
  await f?.close();
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
const http = (url: string, token: string) => f.t.http.inject({ url, headers: bearer(token) });

describe('get_operation_events', () => {
  it("pages an operation's events as GET /api/operations/:id/events does, and keeps to one step", async () => {
    const client = await connect(tokens.viewer!);
    const all = await ok(client, 'get_operation_events', { id: operationId });
    expect(all).toEqual((await http(`/api/operations/${operationId}/events`, tokens.viewer!)).json());
    expect(all.nextCursor).toBeNull();
    const logs = all.items.filter((e: { type: string }) => e.type === 'log');
    expect(logs.map((e: { step: string; data: { text: string } }) => `${e.step}: ${e.data.text}`)).toEqual([
      'one: first says hello',
      'two: second says hello',
    ]);
    expect(all.items.at(-1)).toMatchObject({ type: 'complete', data: { status: 'succeeded' } });

    const first = await ok(client, 'get_operation_events', { id: operationId, limit: 2 });
    expect(first.items).toEqual(all.items.slice(0, 2));
    const next = await ok(client, 'get_operation_events', {
      id: operationId,
      after: Number(first.nextCursor),
    });
    expect(next.items).toEqual(all.items.slice(2));
    const two = await ok(client, 'get_operation_events', { id: operationId, step: 'two' });
    expect(two).toEqual(
      (await http(`/api/operations/${operationId}/events?step=two`, tokens.viewer!)).json(),
    );
    expect(two.items.some((e: { step: string | null }) => e.step === 'one')).toBe(false);
  });

  it('refuses an outsider with the problem, and an id that is not one with what to fix', async () => {
    const outsider = await connect(tokens.outsider!);
    const refused = await call(outsider, 'get_operation_events', { id: operationId });
    expect(refused.isError).toBe(true);
    expect(JSON.parse(refused.content[1]!.text).status).toBeGreaterThanOrEqual(403);
    const bad = await call(outsider, 'get_operation_events', { id: 'nope' });
    expect(bad).toMatchObject({ isError: true, text: expect.stringMatching(/id/) });
  });
});

describe('llm_stats', () => {
  it('answers what GET /api/llm/stats answers: every call for admins, a project’s for its members', async () => {
    const same = (value: Record<string, unknown>) => ({
      ...value,
      from: expect.any(String),
      to: expect.any(String),
    });
    const admin = await connect(tokens.admin!);
    const all = await ok(admin, 'llm_stats', { window: '1h' });
    expect(all).toEqual(same((await http('/api/llm/stats?window=1h', tokens.admin!)).json()));
    expect(all).toMatchObject({ window: '1h', calls: 0 });
    const viewer = await connect(tokens.viewer!);
    const project = await ok(viewer, 'llm_stats', { project: f.slug });
    expect(project).toEqual(same((await http(`/api/llm/stats?project=${f.slug}`, tokens.viewer!)).json()));
    expect(project.window).toBe('24h');
    const everything = await call(viewer, 'llm_stats', {});
    expect(everything).toMatchObject({
      isError: true,
      text: expect.stringMatching(/Only instance admins see every LLM call/),
    });
    const window = await call(viewer, 'llm_stats', { window: '2d' });
    expect(window).toMatchObject({ isError: true, text: expect.stringMatching(/window/) });
  });
});

describe('get_app_logs', () => {
  it('tails the log of the app an environment runs, as the logs route does (viewers)', {
    timeout: 90_000,
  }, async () => {
    await f.push('v1');
    const started = await f.t.http.inject({
      method: 'POST',
      url: `/api/projects/${f.slug}/deploy`,
      headers: bearer(f.token),
      payload: { env: 'staging', ref: 'main' },
    });
    expect(started.statusCode, started.body).toBe(202);
    const op = await waitForOperation(f.t.res.db, started.json().operationId, {
      timeoutMs: 60_000,
      bus: f.t.res.bus,
    });
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');

    const viewer = await connect(tokens.viewer!);
    const logs = await ok(viewer, 'get_app_logs', { slug: f.slug, env: 'staging', tail: 50 });
    const route = (
      await http(`/api/projects/${f.slug}/environments/staging/logs?tail=50`, tokens.viewer!)
    ).json();
    const texts = (page: { items: Array<{ text: string }> }) => page.items.map((l) => l.text);
    expect(texts(logs).some((text) => /listening on \d+ \(v1\)/.test(text))).toBe(true);
    // The app may log between the two reads: the lines both tails hold are the same lines.
    const bySeq = new Map(logs.items.map((line: { seq: number }) => [line.seq, line]));
    const shared = route.items.filter((line: { seq: number }) => bySeq.has(line.seq));
    expect(shared.length).toBeGreaterThan(0);
    for (const line of shared) expect(line).toEqual(bySeq.get(line.seq));
    expect(logs.items[0]).toMatchObject({
      seq: expect.any(Number),
      at: expect.any(String),
      stream: expect.any(String),
    });
    expect((await ok(viewer, 'get_app_logs', { slug: f.slug, env: 'staging', tail: 1 })).items).toHaveLength(
      1,
    );

    const none = await call(viewer, 'get_app_logs', { slug: f.slug, env: 'production' });
    expect(none).toMatchObject({ isError: true, text: expect.stringMatching(/No environment "production"/) });
    const outsider = await call(await connect(tokens.outsider!), 'get_app_logs', {
      slug: f.slug,
      env: 'staging',
    });
    expect(outsider).toMatchObject({ isError: true, text: expect.stringMatching(/not a member of project/) });
  });
});

describe("an app's telemetry", () => {
  it('searches its logs, reads a trace, lists its errors and alert rules, as the routes do (viewers)', async () => {
    // Staging runs since the test above; its app reports over OTLP with its environment's token.
    const env = (
      await f.t.res.db.query<{ id: string; project_id: string }>(
        "SELECT e.id, e.project_id FROM environments e JOIN projects p ON p.id = e.project_id WHERE p.slug = $1 AND e.name = 'staging'",
        [f.slug],
      )
    ).rows[0]!;
    const otel = await f.t.res.telemetry.envFor(
      { environmentId: env.id, projectId: env.project_id },
      { baseUrl: base, serviceName: 'shop' },
    );
    const headers = {
      authorization: decodeURIComponent(otel.OTEL_EXPORTER_OTLP_HEADERS!.split('=')[1]!),
      'content-type': 'application/json',
    };
    const traceId = 'ab'.repeat(16);
    const now = BigInt(Date.now()) * 1_000_000n;
    const exception = [
      { key: 'exception.type', value: { stringValue: 'TypeError' } },
      { key: 'exception.message', value: { stringValue: 'basket is undefined' } },
    ];
    const traces = await fetch(`${base}/otlp/v1/traces`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId,
                    spanId: 'cd'.repeat(8),
                    name: 'POST /checkout',
                    kind: 2,
                    startTimeUnixNano: String(now),
                    endTimeUnixNano: String(now + 3_000_000n),
                    status: { code: 2 },
                    events: [{ name: 'exception', timeUnixNano: String(now), attributes: exception }],
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(traces.status).toBe(200);
    const logs = await fetch(`${base}/otlp/v1/logs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  {
                    timeUnixNano: String(now),
                    severityNumber: 17,
                    body: { stringValue: 'checkout failed for basket 7' },
                    traceId,
                    spanId: 'cd'.repeat(8),
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(logs.status).toBe(200);

    const viewer = await connect(tokens.viewer!);
    const where = { slug: f.slug, env: 'staging' };
    const found = await ok(viewer, 'search_app_logs', { ...where, q: 'checkout basket', severity: 'error' });
    expect(found.items).toHaveLength(1);
    expect(found.items[0]).toMatchObject({ body: 'checkout failed for basket 7', traceId });
    expect(found).toEqual(
      (
        await http(
          `/api/projects/${f.slug}/environments/staging/telemetry/logs?q=checkout%20basket&severity=error`,
          tokens.viewer!,
        )
      ).json(),
    );
    const trace = await ok(viewer, 'get_trace', { ...where, traceId });
    expect(trace.spans).toEqual([
      expect.objectContaining({ name: 'POST /checkout', statusCode: 2, logCount: 1 }),
    ]);
    const errors = await until(
      async () => {
        const page = await ok(viewer, 'list_error_groups', where);
        return page.items.length ? page : undefined;
      },
      10_000,
      'the exception grouped',
    );
    expect(errors.items[0]).toMatchObject({ type: 'TypeError', message: 'basket is undefined', count: 1 });
    expect(await ok(viewer, 'list_alert_rules', where)).toMatchObject({ items: [] });

    const outsider = await call(await connect(tokens.outsider!), 'search_app_logs', where);
    expect(outsider).toMatchObject({ isError: true, text: expect.stringMatching(/not a member of project/) });
  });
});

describe('search_conversations and export_conversation', () => {
  it('find a project conversation by a word of it and export it as the HTTP routes do; an outsider finds nothing', async () => {
    const post = (url: string, payload: object) =>
      f.t.http.inject({ method: 'POST', url, headers: bearer(tokens.admin!), payload });
    const created = await post('/api/conversations', { title: 'Marmalade plans', project: f.slug });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const said = await post(`/api/conversations/${id}/messages`, {
      role: 'user',
      content: 'We need a bitter orange marmalade tracker.',
    });
    expect(said.statusCode, said.body).toBe(201);

    const viewer = await connect(tokens.viewer!);
    const found = await ok(viewer, 'search_conversations', { q: 'marmalade', project: f.slug });
    expect(found).toEqual(
      (await http(`/api/conversations?q=marmalade&project=${f.slug}&limit=20`, tokens.viewer!)).json(),
    );
    expect(found.items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(found.items[0].match).toContain('«marmalade»');

    const markdown = await call(viewer, 'export_conversation', { id });
    expect(markdown.isError).toBe(false);
    // The same document but for the moment it was exported.
    const when = (text: string) => text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>');
    expect(when(markdown.text)).toBe(
      when((await http(`/api/conversations/${id}/export`, tokens.viewer!)).body),
    );
    expect(markdown.text).toContain('bitter orange marmalade');
    const json = JSON.parse((await call(viewer, 'export_conversation', { id, format: 'json' })).text);
    expect(json.conversation.id).toBe(id);

    const outsider = await connect(tokens.outsider!);
    expect((await ok(outsider, 'search_conversations', { q: 'marmalade' })).items).toEqual([]);
    const refused = await call(outsider, 'export_conversation', { id });
    expect(refused.isError).toBe(true);
    expect(JSON.parse(refused.content[1]!.text).status).toBeGreaterThanOrEqual(403);
  });
});
