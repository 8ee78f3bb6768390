import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { listenApp, startWorkers } from '../../../../test/git.ts';
import { runOrchard } from '../../../../test/support/spawn-orchard.ts';
import { type MockLlm, type ScenarioEntry, startMockLlm } from '../../llm/index.ts';
import { defineWorkflow, startOperation, type WorkerPool, waitForOperation } from '../../operations/index.ts';
import { findProjectBySlug } from '../../projects/index.ts';
import type { AutomationTaskBodyInput } from './task-input.ts';
import { startTaskSite, type TaskSite } from './task-site.test-support.ts';

/**
 * Automation tasks end to end: the HTTP API, the operation on the browser lane, real Chromium on a
 * local site, the planner through the gateway on the mock LLM, the action cache in PostgreSQL.
 */
const PASSWORD = 'correct horse battery staple';
let t: TestApp;
let mock: MockLlm;
let site: TaskSite;
let workers: WorkerPool;
let h: { authorization: string };
let token: string;
let listening: Promise<string> | undefined;
/** The app on a loopback port (once), for the CLI and the MCP client. */
const baseUrl = () => (listening ??= listenApp(t));
let slug: string;

beforeAll(async () => {
  mock = await startMockLlm();
  site = await startTaskSite();
  t = await createTestApp({
    automation: { allowHosts: ['127.0.0.1'], allowPrivate: true, maxConcurrency: 1 },
    llm: {
      providers: [
        {
          name: 'gemini',
          kind: 'gemini',
          baseUrl: mock.url,
          apiKey: 'gemini-test-key',
          models: [{ id: 'gemini-2.5-flash', input: 0.3, output: 2.5 }],
        },
      ],
      aliases: { planner: ['gemini/gemini-2.5-flash'] },
      timeouts: { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 2_000 },
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1_000 },
    },
  });
  workers = await startWorkers(t);
  token = (await t.user('member')).token;
  h = bearer(token);
  slug = (
    await t.http.inject({ method: 'POST', url: '/api/projects', headers: h, payload: { name: 'Shop robot' } })
  ).json().slug;
  const secret = await t.http.inject({
    method: 'PUT',
    url: `/api/projects/${slug}/secrets/SHOP_PASSWORD`,
    headers: h,
    payload: { value: PASSWORD, protected: false },
  });
  expect(secret.statusCode, secret.body).toBeLessThan(300);
}, 60_000);
afterAll(async () => {
  await workers?.stop();
  await t?.close();
  await site?.close();
  await mock?.close();
});
beforeEach(() => {
  mock.reset();
  site.variant = 1;
});

const signIn = (extra: AutomationTaskBodyInput['steps'] = []): AutomationTaskBodyInput => ({
  startUrl: `${site.url}/login`,
  trace: 'on',
  variables: { email: 'ada@example.test' },
  secrets: ['SHOP_PASSWORD'],
  steps: [
    { fill: { label: 'Email' }, value: '%email%' },
    { fill: { label: 'Password' }, value: '%SHOP_PASSWORD%' },
    { act: 'press the button that signs in' },
    { expect: { text: 'Signed in as ada@example.test' } },
    ...(extra ?? []),
  ],
});

/** The planner's answer to the sign-in instruction, on the first or the redesigned login page. */
const clickSignIn = (element: string): ScenarioEntry => ({
  match: { contains: 'Instruction: press the button that signs in' },
  json: { action: 'click', element, description: 'submits the sign-in form' },
});

async function run(body: AutomationTaskBodyInput) {
  const started = await t.http.inject({
    method: 'POST',
    url: `/api/projects/${slug}/automation/tasks`,
    headers: h,
    payload: body,
  });
  expect(started.statusCode, started.body).toBe(202);
  const { operationId } = started.json() as { operationId: string };
  const op = await waitForOperation(t.res.db, operationId, { timeoutMs: 60_000, bus: t.res.bus });
  const page = await t.http.inject({
    method: 'GET',
    url: `/api/operations/${operationId}/events?limit=1000`,
    headers: h,
  });
  expect(page.statusCode, page.body).toBe(200);
  const list = (page.json() as { items: Array<{ type: string; data: Record<string, unknown> }> }).items;
  return {
    op,
    operationId,
    events: list,
    steps: list.filter((e) => e.type === 'task-step').map((e) => e.data),
  };
}

async function artifact(events: Array<{ type: string; data: Record<string, unknown> }>, kind: string) {
  const ref = events.find((e) => e.type === 'artifact' && e.data.kind === kind);
  expect(ref, `an artifact of kind ${kind}`).toBeDefined();
  const found = await t.res.blobs.get(ref!.data.blobId as string);
  return buffer(found!.stream);
}

const plannerCalls = () =>
  mock.requests().filter((r) => JSON.stringify(r.body).includes('ARIA snapshot')).length;

describe('automation tasks', () => {
  it('signs in with a secret the planner, the logs, the events, the HAR and the trace never see', async () => {
    mock.setScenario([
      clickSignIn('e8'),
      {
        match: { contains: 'Read from the page: the orders' },
        json: {
          orders: [
            { id: 'A-100', total: 12.5 },
            { id: 'A-101', total: 40 },
          ],
        },
      },
    ]);
    const { op, events, steps } = await run(
      signIn([
        {
          extract: 'the orders in the table',
          as: 'orders',
          schema: {
            type: 'object',
            properties: {
              orders: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { id: { type: 'string' }, total: { type: 'number' } },
                  required: ['id', 'total'],
                },
              },
            },
            required: ['orders'],
          },
        },
        { click: { role: 'link', name: 'Export orders' } },
      ]),
    );
    expect(op.status, JSON.stringify(steps, null, 1)).toBe('succeeded');
    // The site got the password: it was typed into the form.
    expect(site.posts.at(-1)).toContain(new URLSearchParams({ p: PASSWORD }).toString().slice(2));
    expect(steps.map((s) => s.kind)).toEqual(['goto', 'fill', 'fill', 'act', 'expect', 'extract', 'click']);
    expect(steps.every((s) => s.passed)).toBe(true);
    expect(steps[2]!.name).toContain('%SHOP_PASSWORD%');
    expect(steps[3]).toMatchObject({
      cache: 'miss',
      resolved: { action: 'click', target: { role: 'button', name: 'Sign in' } },
    });
    expect(steps[5]!.data).toEqual({
      orders: [
        { id: 'A-100', total: 12.5 },
        { id: 'A-101', total: 40 },
      ],
    });
    // A screenshot per step.
    expect(
      steps.every(
        (s) => (s.screenshot as { contentType?: string } | undefined)?.contentType === 'image/jpeg',
      ),
    ).toBe(true);
    const result = events.find((e) => e.type === 'task-result')!.data;
    expect(result).toMatchObject({
      passed: true,
      extracted: { orders: steps[5]!.data },
      cache: { misses: 1, hits: 0 },
    });
    expect((result.downloads as unknown[]).length).toBe(1);

    const har = (await artifact(events, 'har')).toString();
    const trace = unzipSync(new Uint8Array(await artifact(events, 'trace')));
    const forms = [
      PASSWORD,
      encodeURIComponent(PASSWORD),
      new URLSearchParams({ p: PASSWORD }).toString().slice(2),
    ];
    const seen = {
      planner: JSON.stringify(mock.requests()),
      logs: t.logs.join('\n'),
      events: JSON.stringify(events),
      har,
      trace: Object.values(trace)
        .map((d) => Buffer.from(d).toString('latin1'))
        .join('\n'),
    };
    for (const [where, text] of Object.entries(seen))
      for (const form of forms) expect(text.includes(form), `${form} in ${where}`).toBe(false);
    // The HAR shows that a sign-in was posted, with the placeholder, and no cookies.
    expect(har).toContain('%SHOP_PASSWORD%');
    expect(har).not.toMatch(/sid=s\d/);
    expect(seen.planner).toContain('%SHOP_PASSWORD%');
  }, 90_000);

  it('replays an act from the cache without a model call, and heals it when the page changes', async () => {
    mock.setScenario([clickSignIn('e8')]);
    // A fresh instruction (the first test cached its own): resolved once…
    const body = signIn();
    body.steps![2] = { act: 'press the button that signs in, please' };
    mock.setScenario([{ ...clickSignIn('e8'), match: { contains: 'signs in, please' } }]);
    const first = await run(body);
    expect(first.op.status).toBe('succeeded');
    expect(first.steps[3]).toMatchObject({ cache: 'miss' });
    expect(plannerCalls()).toBe(1);
    // …replayed with no model call at all.
    mock.reset();
    const second = await run(body);
    expect(second.op.status).toBe('succeeded');
    expect(second.steps[3]).toMatchObject({ cache: 'hit' });
    expect(plannerCalls()).toBe(0);
    // The login page is redesigned: the cached "Sign in" button is gone; the planner resolves again.
    site.variant = 2;
    mock.setScenario([
      {
        match: { contains: 'signs in, please' },
        json: { action: 'click', element: 'e17', description: 'logs in' },
      },
    ]);
    const healed = await run(body);
    expect(healed.op.status, JSON.stringify(healed.steps, null, 1)).toBe('succeeded');
    expect(healed.steps[3]).toMatchObject({
      cache: 'healed',
      resolved: { target: { role: 'button', name: 'Log in' } },
    });
    expect(plannerCalls()).toBe(1);
    const summary = healed.events.find((e) => e.type === 'task-result')!.data;
    expect(summary.cache).toEqual({ hits: 0, misses: 0, heals: 1 });
    // And the healed entry is what replays next time.
    mock.reset();
    const again = await run(body);
    expect(again.steps[3]).toMatchObject({ cache: 'hit' });
    expect(plannerCalls()).toBe(0);
  }, 120_000);

  it('checks what extract returns against its schema, and asks again when it does not match', async () => {
    mock.setScenario([
      clickSignIn('e8'),
      { match: { contains: 'Read from the page: the first order' }, json: { id: 'A-100', total: 'twelve' } },
      { match: { contains: 'Read from the page: the first order' }, json: { id: 'A-100', total: 12.5 } },
    ]);
    const { op, steps, events } = await run({
      ...signIn([
        {
          extract: 'the first order',
          schema: {
            type: 'object',
            properties: { id: { type: 'string' }, total: { type: 'number' } },
            required: ['id', 'total'],
          },
        },
      ]),
      trace: 'retain-on-failure',
    });
    expect(op.status).toBe('succeeded');
    expect(steps.at(-1)!.data).toEqual({ id: 'A-100', total: 12.5 });
    // Recorded, and not kept: the task passed.
    expect(events.some((e) => e.type === 'artifact' && e.data.kind === 'trace')).toBe(false);
    const asks = mock.requests().filter((r) => JSON.stringify(r.body).includes('the first order'));
    expect(asks).toHaveLength(2);
    expect(JSON.stringify(asks[1]!.body)).toContain('total');
  }, 90_000);

  it('reaches a goal one planned action at a time, and returns the result its schema asks for', async () => {
    mock.setScenario([
      {
        match: { lastUser: 'Nothing done yet' },
        json: { status: 'act', step: { action: 'fill', element: 'e5', value: '%email%' } },
      },
      {
        match: { contains: 'Goal: sign in', lastUser: '1. fill' },
        json: { status: 'act', step: { action: 'fill', element: 'e7', value: '%SHOP_PASSWORD%' } },
      },
      {
        match: { contains: 'Goal: sign in', lastUser: '2. fill' },
        json: { status: 'act', step: { action: 'click', element: 'e8' } },
      },
      {
        match: { contains: 'Goal: sign in', lastUser: '3. click' },
        json: { status: 'done', summary: 'Signed in', result: { email: 'ada@example.test' } },
      },
    ]);
    const { op, steps, events } = await run({
      startUrl: `${site.url}/login`,
      goal: 'sign in as %email% with the password %SHOP_PASSWORD% and say which account it is',
      variables: { email: 'ada@example.test' },
      secrets: ['SHOP_PASSWORD'],
      resultSchema: { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] },
    });
    expect(op.status, JSON.stringify(steps, null, 1)).toBe('succeeded');
    expect(steps.map((s) => s.kind)).toEqual(['goto', 'plan', 'plan', 'plan', 'plan']);
    expect(events.find((e) => e.type === 'task-result')!.data).toMatchObject({
      extracted: { result: { email: 'ada@example.test' } },
      summary: 'Signed in',
    });
    expect(JSON.stringify(mock.requests()).includes(PASSWORD)).toBe(false);
  }, 90_000);

  it('stops at its budget of planner calls', async () => {
    mock.setScenario([
      {
        match: { contains: 'Goal:', repeat: true },
        json: { status: 'act', step: { action: 'click', element: 'e2' } },
      },
    ]);
    const { op, events } = await run({
      startUrl: `${site.url}/login`,
      goal: 'click around forever',
      budget: { modelCalls: 3 },
      trace: 'retain-on-failure',
    });
    expect(op.status).toBe('failed');
    // The failed task's trace is kept: a zip with the trace's events in it.
    expect(Object.keys(unzipSync(new Uint8Array(await artifact(events, 'trace'))))).toContain('trace.trace');
    const result = events.find((e) => e.type === 'task-result')!.data;
    expect(result.stoppedBecause).toContain('budget of 3 planner calls');
    expect(plannerCalls()).toBe(3);
  }, 90_000);

  it('refuses bad tasks before anything runs, saying what to fix', async () => {
    const post = (payload: object) =>
      t.http.inject({ method: 'POST', url: `/api/projects/${slug}/automation/tasks`, headers: h, payload });
    const cases: Array<[object, number, RegExp]> = [
      [{ startUrl: `${site.url}/login` }, 400, /goal/],
      [
        { startUrl: `${site.url}/login`, steps: [{ fill: { label: 'Email' }, value: '%nope%' }] },
        400,
        /%nope%/,
      ],
      [{ startUrl: `${site.url}/login`, steps: [{ click: 'a', fill: 'b' }] }, 400, /exactly one thing/],
      [{ startUrl: 'http://elsewhere.example/', goal: 'x' }, 400, /allowHosts/],
      [{ startUrl: `${site.url}/login`, goal: 'x', secrets: ['missing_one'] }, 404, /missing_one/],
      [{ startUrl: `${site.url}/`, steps: [{ extract: 'x', schema: { type: 'nonsense' } }] }, 400, /schema/],
    ];
    for (const [payload, status, message] of cases) {
      const res = await post(payload);
      expect(res.statusCode, `${JSON.stringify(payload)} → ${res.body}`).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail).toMatch(message);
    }
  });

  it('runs from the command line: orchard automate with a task file, exit code and figures', async () => {
    mock.setScenario([
      {
        ...clickSignIn('e8'),
        match: { contains: 'Instruction: press the button that signs in', repeat: true },
      },
    ]);
    const base = await baseUrl();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-automate-'));
    try {
      const file = path.join(dir, 'sign-in.yml');
      await writeFile(
        file,
        [
          `startUrl: ${site.url}/login`,
          'steps:',
          '  - fill: { label: Email }',
          '    value: "%email%"',
          '  - fill: { label: Password }',
          '    value: "%SHOP_PASSWORD%"',
          '  - act: press the button that signs in',
          '  - expect: { text: "Signed in as" }',
        ].join('\n'),
      );
      const args = [
        '--project',
        slug,
        '--url',
        base,
        '--token',
        token,
        '--var',
        'email=ada@example.test',
        '--secret',
        'SHOP_PASSWORD',
      ];
      const ok = await runOrchard(['automate', file, ...args]);
      expect(ok.code, ok.stderr + ok.stdout).toBe(0);
      expect(ok.stdout).toMatch(/Task succeeded/);
      expect(ok.stdout).toMatch(/Cache: \d+ hit\(s\), \d+ miss\(es\)/);
      expect(ok.stdout + ok.stderr).not.toContain(PASSWORD);
      // A step that fails fails the command, and says which.
      await writeFile(
        file,
        `startUrl: ${site.url}/login\nsteps:\n  - expect: { text: "Nowhere to be seen" }\nbudget: { stepTimeoutMs: 500 }\n`,
      );
      const failed = await runOrchard(['automate', file, ...args]);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/Task failed: step 1 failed/);
      // A mistake in the file is named before anything starts.
      await writeFile(file, `startUrl: ${site.url}/login\nsteps:\n  - fill: { label: Email }\n`);
      const bad = await runOrchard(['automate', file, ...args]);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/steps\.0\.value: is required/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('runs over MCP: run_automation_task answers with each step and the screenshots as images', async () => {
    mock.setScenario([
      {
        ...clickSignIn('e8'),
        match: { contains: 'Instruction: press the button that signs in', repeat: true },
      },
    ]);
    const base = await baseUrl();
    // The official MCP client, as any assistant would connect.
    const client = new Client({ name: 'orchard-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL('/mcp', base), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    try {
      const answer = (await client.callTool({
        name: 'run_automation_task',
        arguments: { slug, task: signIn(), screenshots: 1 },
      })) as { isError?: boolean; content: Array<{ type: string; text?: string; mimeType?: string }> };
      expect(answer.isError ?? false, JSON.stringify(answer.content[0])).toBe(false);
      const verdict = JSON.parse(answer.content[0]!.text!) as {
        status: string;
        passed: boolean;
        steps: unknown[];
      };
      expect(verdict).toMatchObject({ status: 'succeeded', passed: true });
      expect(verdict.steps).toHaveLength(5);
      expect(answer.content.filter((c) => c.type === 'image').map((c) => c.mimeType)).toEqual(['image/jpeg']);
      expect(JSON.stringify(answer)).not.toContain(PASSWORD);
    } finally {
      await client.close();
    }
  }, 90_000);

  it('lets a smoke suite use act: resolved by the planner once, then replayed from the same cache', async () => {
    mock.setScenario([
      {
        match: { contains: 'Instruction: submit the sign-in form', repeat: true },
        json: { action: 'click', element: 'e8' },
      },
    ]);
    // The robot's own step, as the Studio's workflows run it, on a page of the test site.
    if (!t.res.registry.workflow('test.smoke-act'))
      t.res.registry.add(
        defineWorkflow('test.smoke-act', z.record(z.string(), z.unknown()), (input) => [
          { key: 'browser', step: 'automation.verify', input },
        ]),
      );
    const smokeYaml = [
      'pages:',
      '  - name: Sign in',
      '    path: /login',
      '    steps:',
      "      - fill: 'input[name=email]'",
      '        value: ada@example.test',
      "      - fill: 'input[name=password]'",
      `        value: ${PASSWORD}`,
      '      - act: submit the sign-in form',
      '      - expectText: Signed in as ada@example.test',
    ].join('\n');
    const project = await findProjectBySlug(t.res.db, slug);
    const verify = async () => {
      const { id } = await startOperation(t.res.db, t.res.registry, {
        kind: 'test.smoke-act',
        input: { baseUrl: site.url, smokeYaml },
        projectId: project!.id,
      });
      const op = await waitForOperation(t.res.db, id, { timeoutMs: 60_000, bus: t.res.bus });
      const detail = (
        await t.http.inject({ method: 'GET', url: `/api/operations/${id}`, headers: h })
      ).json() as {
        steps: Array<{
          key: string;
          output: { passed: boolean; pages: Array<{ checks: Array<{ name: string; message: string }> }> };
        }>;
      };
      return { op, result: detail.steps.find((s) => s.key === 'browser')!.output };
    };
    const first = await verify();
    expect(first.op.status).toBe('succeeded');
    expect(first.result.passed, JSON.stringify(first.result.pages[0]!.checks)).toBe(true);
    const act = (r: typeof first.result) =>
      r.pages[0]!.checks.find((c) => c.name === 'act: submit the sign-in form')!;
    expect(act(first.result).message).toMatch(/click button "Sign in" \[cache miss\]/);
    expect(plannerCalls()).toBe(1);
    mock.reset();
    const second = await verify();
    expect(second.result.passed).toBe(true);
    expect(act(second.result).message).toMatch(/\[cache hit\]/);
    expect(plannerCalls()).toBe(0);
  }, 90_000);
});
