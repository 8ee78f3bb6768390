import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { addMember, listenApp, startWorkers } from '../../../../test/git.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import {
  defineStep,
  defineWorkflow,
  startOperation,
  type WorkerPool,
  waitForOperation,
} from '../../operations/index.ts';
import { advanceFeature } from '../advance-feature.ts';
import { wholeBlueprintClassification } from '../build/start-build.ts';
import { insertFeature, updateFeature } from '../feature-store.ts';
import { personClassification, type SdlcKind } from '../sdlc/sdlc-kinds.ts';

/** The feature board over the API: moves, dependencies, filters, classification overrides, stats. */
let t: TestApp;
let mock: MockLlm;
let workers: WorkerPool;
let owner: { authorization: string };
let viewer: { authorization: string };
let ownerName: string;
let slug: string;
let projectId: string;
let blueprintId: string;
/** Released by the test: the `test.board-hold` step waits for it. */
let release: () => void = () => {};

beforeAll(async () => {
  mock = await startMockLlm();
  t = await createTestApp({
    llm: {
      providers: [
        {
          name: 'anthropic',
          kind: 'anthropic',
          baseUrl: mock.url,
          apiKey: 'sk-ant-test',
          models: [{ id: 'claude-haiku-4-5', input: 1, cachedInput: 0.1, output: 5 }],
        },
      ],
      aliases: { planner: ['anthropic/claude-haiku-4-5'] },
      timeouts: { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 2_000 },
      retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1_000 },
    },
  });
  let flaky = 0;
  t.res.registry.add(
    // A build's shape: `implement` fails its first attempt, `test` passes; `hold` waits for the test.
    defineWorkflow('test.board-build', z.object({}), () => [
      { key: 'implement', step: 'test.board-flaky', input: {} },
      { key: 'test', step: 'test.board-pass', input: {}, dependsOn: ['implement'] },
    ]),
    defineWorkflow('test.board-hold', z.object({}), () => [
      { key: 'hold', step: 'test.board-hold', input: {} },
    ]),
    defineWorkflow('test.board-child', z.object({}), () => [
      { key: 'pass', step: 'test.board-pass', input: {} },
    ]),
    defineStep('test.board-flaky', {
      retry: { maxAttempts: 3, baseMs: 1, maxMs: 5 },
      handler: async () => {
        if (++flaky === 1) throw new Error('the first attempt fails');
        return {};
      },
    }),
    defineStep('test.board-pass', { handler: async () => ({}) }),
    defineStep('test.board-hold', {
      handler: () => new Promise<object>((resolve) => (release = () => resolve({}))),
    }),
  );
  workers = await startWorkers(t, 2);
  const o = await t.user('member');
  owner = bearer(o.token);
  ownerName = o.user.username;
  const project = (
    await t.http.inject({ method: 'POST', url: '/api/projects', headers: owner, payload: { name: 'Board' } })
  ).json();
  slug = project.slug;
  projectId = project.id;
  const v = await t.user('member');
  await addMember(t, o.token, slug, v.user.username, 'viewer');
  viewer = bearer(v.token);
  blueprintId = (
    await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/blueprints`,
      headers: owner,
      payload: { template: 'crud-app' },
    })
  ).json().id;
}, 60_000);
afterAll(async () => {
  release();
  await workers?.stop();
  await t?.close();
  await mock?.close();
});

let n = 0;
async function feature(title: string, kind?: SdlcKind) {
  const row = await insertFeature(t.res.db, {
    projectId,
    blueprintId,
    slug: `f-${++n}`,
    branch: `orchard/f-${n}`,
    title,
    classification: kind
      ? personClassification(kind, 'someone', new Date())
      : wholeBlueprintClassification(new Date()),
  });
  return row.id;
}

const api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object, headers = owner) =>
  t.http.inject({ method, url, headers, ...(payload ? { payload } : {}) });

interface Card {
  id: string;
  title: string;
  phase: string;
  lane: string;
  kind: string;
  allowedMoves: string[];
  blockedBy: Array<{ id: string }>;
  assignee: { key: string; kind: string; name: string } | null;
  costUsd: number;
  building: boolean;
  history: Array<{ from: string; to: string; by?: string; reason?: string }>;
  classification: { kind: string; source: string; previous?: { kind: string } } | null;
}
const board = async (query = '') =>
  (await api('GET', `/api/projects/${slug}/board${query}`)).json() as {
    columns: string[];
    cards: Card[];
    assignees: Array<{ key: string; kind: string }>;
  };
const card = async (id: string, query = '') => (await board(query)).cards.find((c) => c.id === id);

describe('moves by hand', () => {
  it('makes a legal move, records who and why, and audits it', async () => {
    const id = await feature('Search');
    const res = await api('POST', `/api/projects/${slug}/features/${id}/moves`, {
      to: 'plan',
      reason: 'spec reviewed',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      phase: 'plan',
      lane: 'plan',
      allowedMoves: ['implement', 'spec', 'failed', 'cancelled'],
    });
    expect(res.json().history).toEqual([
      { from: 'spec', to: 'plan', reason: 'spec reviewed', by: ownerName, at: expect.any(String) },
    ]);
    const { rows } = await t.res.db.query(
      `SELECT actor_name, data FROM audit_log WHERE action = 'feature.move' AND target_id = $1`,
      [id],
    );
    expect(rows).toEqual([
      { actor_name: ownerName, data: { from: 'spec', to: 'plan', reason: 'spec reviewed' } },
    ]);
  });

  it('refuses an illegal move with the state machine’s reason, and changes nothing', async () => {
    const id = await feature('Export');
    const res = await api('POST', `/api/projects/${slug}/features/${id}/moves`, { to: 'test' });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      code: 'illegal_transition',
      detail: 'A feature in spec cannot move to test; allowed next: plan, failed, cancelled',
      allowed: ['plan', 'failed', 'cancelled'],
    });
    expect((await card(id))?.phase).toBe('spec');
  });

  it('lets only developers move, only features of the project, only to phases', async () => {
    const id = await feature('Tags');
    expect(
      (await api('POST', `/api/projects/${slug}/features/${id}/moves`, { to: 'plan' }, viewer)).statusCode,
    ).toBe(403);
    const other = await api(
      'POST',
      `/api/projects/${slug}/features/00000000-0000-4000-8000-000000000000/moves`,
      {
        to: 'plan',
      },
    );
    expect(other.statusCode).toBe(404);
    const bad = await api('POST', `/api/projects/${slug}/features/${id}/moves`, { to: 'shipped' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toMatch(/to/);
  });

  it('leaves a feature whose build is running to its build', async () => {
    const id = await feature('Held');
    const op = await startOperation(t.res.db, t.res.registry, {
      kind: 'test.board-hold',
      input: {},
      actor: SYSTEM_ACTOR,
      projectId,
    });
    await updateFeature(t.res.db, id, { operationId: op.id });
    expect((await card(id))?.building).toBe(true);
    const refused = await api('POST', `/api/projects/${slug}/features/${id}/moves`, { to: 'plan' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/build of this feature .* is running and moves it itself/);
    release();
    await waitForOperation(t.res.db, op.id, { timeoutMs: 20_000, bus: t.res.bus });
    expect((await api('POST', `/api/projects/${slug}/features/${id}/moves`, { to: 'plan' })).statusCode).toBe(
      200,
    );
    // The move by hand is an event of its build: other people's boards (following the project's
    // activity) see it live, and the build's log keeps it.
    const activity = (await api('GET', `/api/projects/${slug}/activity`)).json();
    expect(activity.items.at(-1)).toMatchObject({
      operationId: op.id,
      type: 'feature',
      data: { featureId: id, title: 'Held', move: { from: 'spec', to: 'plan' }, by: expect.any(String) },
    });
    await api('PATCH', `/api/projects/${slug}/features/${id}`, { dependsOn: [] });
    const edited = (await api('GET', `/api/projects/${slug}/activity`)).json();
    expect(edited.items.at(-1)).toMatchObject({
      type: 'feature',
      data: { featureId: id, edit: { dependsOn: [] } },
    });
  });
});

describe('dependencies', () => {
  it('puts a feature waiting for one not done in the blocked lane, until that one is done', async () => {
    const auth = await feature('Accounts');
    const billing = await feature('Billing');
    const res = await api('PATCH', `/api/projects/${slug}/features/${billing}`, { dependsOn: [auth] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      lane: 'blocked',
      phase: 'spec',
      blockedBy: [{ id: auth, title: 'Accounts', phase: 'spec' }],
    });
    await advanceFeature(t.res.db, t.res.clock, auth, 'done');
    expect(await card(billing)).toMatchObject({ lane: 'spec', blockedBy: [] });
  });

  it('refuses a cycle, naming it, and keeps the dependencies as they were', async () => {
    const a = await feature('A');
    const b = await feature('B');
    const c = await feature('C');
    expect((await api('PATCH', `/api/projects/${slug}/features/${a}`, { dependsOn: [b] })).statusCode).toBe(
      200,
    );
    expect((await api('PATCH', `/api/projects/${slug}/features/${b}`, { dependsOn: [c] })).statusCode).toBe(
      200,
    );
    const cycle = await api('PATCH', `/api/projects/${slug}/features/${c}`, { dependsOn: [a] });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json()).toMatchObject({
      code: 'dependency_cycle',
      detail: expect.stringContaining('“C” waits for “A” waits for “B” waits for “C”'),
      cycle: [c, a, b, c],
    });
    const self = await api('PATCH', `/api/projects/${slug}/features/${a}`, { dependsOn: [a] });
    expect(self.statusCode).toBe(422);
    expect((await card(c))?.blockedBy).toEqual([]);
    expect((await card(a))?.blockedBy.map((d) => d.id)).toEqual([b]);
  });

  it('refuses features that are not the project’s', async () => {
    const a = await feature('Lonely');
    const res = await api('PATCH', `/api/projects/${slug}/features/${a}`, {
      dependsOn: ['00000000-0000-4000-8000-000000000001'],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'body.dependsOn', message: `names features that are not in ${slug}` },
    ]);
    expect((await api('PATCH', `/api/projects/${slug}/features/${a}`, {})).statusCode).toBe(400);
  });
});

describe('assignees and filters', () => {
  it('assigns people and agents, and filters the board by them', async () => {
    const mine = await feature('Mine');
    const agents = await feature('Agents’');
    const nobody = await feature('Nobody’s');
    expect(
      (await api('PATCH', `/api/projects/${slug}/features/${mine}`, { assignee: ownerName })).json().assignee,
    ).toEqual({
      key: ownerName,
      kind: 'human',
      name: ownerName,
    });
    expect(
      (await api('PATCH', `/api/projects/${slug}/features/${agents}`, { assignee: 'agent:llm-agent' })).json()
        .assignee,
    ).toEqual({ key: 'agent:llm-agent', kind: 'agent', name: 'llm-agent' });
    const ids = (cards: Card[]) => cards.map((c) => c.id);
    expect(ids((await board(`?assignee=${ownerName}`)).cards)).toEqual([mine]);
    expect(ids((await board('?assignee=agent:llm-agent')).cards)).toEqual([agents]);
    expect(ids((await board('?assigneeKind=agent')).cards)).toEqual([agents]);
    expect(ids((await board('?assigneeKind=human')).cards)).toEqual([mine]);
    expect(ids((await board('?assignee=none')).cards)).toContain(nobody);
    expect(ids((await board('?assignee=none')).cards)).not.toContain(mine);
    expect((await board()).assignees).toEqual(
      expect.arrayContaining([
        { key: ownerName, kind: 'human', name: ownerName },
        { key: 'agent:llm-agent', kind: 'agent', name: 'llm-agent' },
      ]),
    );
    const unknown = await api('PATCH', `/api/projects/${slug}/features/${nobody}`, {
      assignee: 'agent:robot',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().detail).toMatch(/No agent runtime "robot"/);
    const unassigned = await api('PATCH', `/api/projects/${slug}/features/${mine}`, { assignee: null });
    expect(unassigned.json().assignee).toBeNull();
  });

  it('filters by kind', async () => {
    const bug = await feature('Crash on save', 'bugfix');
    const kinds = (await board('?kind=bugfix')).cards;
    expect(kinds.map((c) => c.id)).toContain(bug);
    expect(kinds.every((c) => c.kind === 'bugfix')).toBe(true);
    expect((await api('GET', `/api/projects/${slug}/board?kind=epic`)).statusCode).toBe(400);
  });
});

describe('classification by a person', () => {
  it('overrides the kind, so the feature walks that kind’s phases; audited', async () => {
    const id = await feature('Checkout is broken');
    const res = await api('PUT', `/api/projects/${slug}/features/${id}/classification`, {
      kind: 'bugfix',
      reason: 'it is a defect',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      kind: 'bugfix',
      classification: { kind: 'bugfix', source: 'person', previous: { kind: 'feature', source: 'rules' } },
      // From spec, a bug fix goes straight to implement: it needs no plan.
      allowedMoves: ['implement', 'failed', 'cancelled'],
    });
    expect(
      (await api('POST', `/api/projects/${slug}/features/${id}/moves`, { to: 'implement' })).statusCode,
    ).toBe(200);
    const { rows } = await t.res.db.query(
      `SELECT data FROM audit_log WHERE action = 'feature.classify' AND target_id = $1`,
      [id],
    );
    expect(rows).toEqual([{ data: { from: 'feature', to: 'bugfix', reason: 'it is a defect' } }]);
    expect(
      (await api('PUT', `/api/projects/${slug}/features/${id}/classification`, { kind: 'epic' })).statusCode,
    ).toBe(400);
  });
});

describe('stats', () => {
  it('gives lead time per phase, failure rate per step of the builds, and cost per feature', async () => {
    const id = await feature('Measured');
    const build = await startOperation(t.res.db, t.res.registry, {
      kind: 'test.board-build',
      input: {},
      actor: SYSTEM_ACTOR,
      projectId,
    });
    await updateFeature(t.res.db, id, { operationId: build.id });
    // An operation started under the build (as an agent session is): its LLM calls are the feature's too.
    const child = await startOperation(t.res.db, t.res.registry, {
      kind: 'test.board-child',
      input: {},
      actor: SYSTEM_ACTOR,
      projectId,
      parentOperationId: build.id,
    });
    for (const operationId of [build.id, child.id])
      await t.res.llm.generate({
        alias: 'planner',
        messages: [{ role: 'user', content: 'plan it' }],
        context: { operationId, projectId },
      });
    await t.res.llm.flush();
    await waitForOperation(t.res.db, build.id, { timeoutMs: 20_000, bus: t.res.bus });
    for (const phase of ['plan', 'implement', 'test', 'done'] as const)
      await advanceFeature(t.res.db, t.res.clock, id, phase);

    const { rows } = await t.res.db.query<{ cost: string }>(
      'SELECT sum(cost_usd) AS cost FROM llm_calls WHERE operation_id = ANY($1::uuid[])',
      [[build.id, child.id]],
    );
    const spent = Number(rows[0]!.cost);
    expect(spent).toBeGreaterThan(0);
    expect((await card(id))?.costUsd).toBeCloseTo(spent, 6);

    const stats = (await api('GET', `/api/projects/${slug}/board/stats`)).json();
    const steps = Object.fromEntries(stats.steps.map((s: { step: string }) => [s.step, s]));
    expect(steps.implement).toEqual({
      step: 'implement',
      builds: 1,
      attempts: 2,
      failures: 1,
      failureRate: 0.5,
    });
    expect(steps.test).toEqual({ step: 'test', builds: 1, attempts: 1, failures: 0, failureRate: 0 });
    expect(stats.cost.perFeature[0]).toEqual({ id, title: 'Measured', costUsd: expect.closeTo(spent, 6) });
    expect(stats.cost.totalUsd).toBeCloseTo(spent, 6);
    const lead = Object.fromEntries(stats.leadTimes.map((l: { phase: string }) => [l.phase, l]));
    expect(lead.plan.count).toBeGreaterThanOrEqual(1);
    expect(lead.plan.medianMs).toBeGreaterThanOrEqual(0);
    expect(lead.verify.count).toBeGreaterThanOrEqual(1);
    expect(stats.leadTimeTotal.count).toBeGreaterThanOrEqual(1);

    // Filters apply to the figures too.
    const bugs = (await api('GET', `/api/projects/${slug}/board/stats?kind=chore`)).json();
    expect(bugs).toMatchObject({ features: 0, steps: [], cost: { totalUsd: 0, perFeature: [] } });
    expect((await api('GET', `/api/projects/${slug}/board/stats`, undefined, viewer)).statusCode).toBe(200);
  });
});

describe('over MCP (the official client)', () => {
  async function mcp(headers: { authorization: string }) {
    const client = new Client({ name: 'board-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL('/mcp', await listening()), {
        requestInit: { headers },
      }),
    );
    return client;
  }
  let base: string | undefined;
  const listening = async () => (base ??= await listenApp(t));
  const text = (r: Record<string, unknown>) => (r.content as Array<{ text: string }>)[0]!.text;

  it('reads the board as the route does, moves a feature by the machine’s rules, and offers viewers no move', async () => {
    const id = await feature('Over MCP');
    const client = await mcp(owner);
    const listed = await client.callTool({ name: 'get_board', arguments: { slug } });
    expect(listed.isError).toBeFalsy();
    expect(JSON.parse(text(listed))).toEqual(await board());
    const stats = await client.callTool({ name: 'get_board_stats', arguments: { slug } });
    expect(JSON.parse(text(stats))).toEqual((await api('GET', `/api/projects/${slug}/board/stats`)).json());

    const moved = await client.callTool({
      name: 'move_feature',
      arguments: { slug, id, to: 'plan', reason: 'agreed' },
    });
    expect(moved.isError).toBeFalsy();
    expect(JSON.parse(text(moved))).toMatchObject({ id, phase: 'plan' });
    const illegal = await client.callTool({ name: 'move_feature', arguments: { slug, id, to: 'done' } });
    expect(illegal.isError).toBe(true);
    expect(text(illegal)).toBe(
      'A feature in plan cannot move to done; allowed next: implement, spec, failed, cancelled',
    );
    expect((await card(id))?.phase).toBe('plan');
    await client.close();

    const watcher = await mcp(viewer);
    const names = (await watcher.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['get_board', 'get_board_stats']));
    expect(names).not.toContain('move_feature');
    const refused = await watcher.callTool({ name: 'move_feature', arguments: { slug, id, to: 'spec' } });
    expect(refused.isError).toBe(true);
    expect((await card(id))?.phase).toBe('plan');
    await watcher.close();
  });

  it('overrides a feature’s and an issue’s kind as the routes do, and refuses a kind that is none', async () => {
    const id = await feature('Typo on the login page');
    const client = await mcp(owner);
    const feat = await client.callTool({
      name: 'classify_feature',
      arguments: { slug, id, kind: 'bugfix', reason: 'a defect' },
    });
    expect(feat.isError, text(feat)).toBeFalsy();
    expect(JSON.parse(text(feat))).toMatchObject({
      id,
      kind: 'bugfix',
      classification: { kind: 'bugfix', source: 'person', reason: 'a defect' },
    });
    expect((await card(id))?.kind).toBe('bugfix');

    const issue = (await api('POST', `/api/projects/${slug}/issues`, { title: 'Add dark mode' })).json();
    const classified = await client.callTool({
      name: 'classify_issue',
      arguments: { slug, number: issue.number, kind: 'chore' },
    });
    expect(classified.isError, text(classified)).toBeFalsy();
    const stored = (await api('GET', `/api/projects/${slug}/issues/${issue.number}/classification`)).json();
    expect(JSON.parse(text(classified))).toEqual(stored);
    expect(stored.classification).toMatchObject({ kind: 'chore', source: 'person' });

    const bad = await client.callTool({
      name: 'classify_issue',
      arguments: { slug, number: issue.number, kind: 'epic' },
    });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/kind/);
    const { rows } = await t.res.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE action IN ('feature.classify', 'issue.classify') AND created_at > now() - interval '1 minute'`,
    );
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['feature.classify', 'issue.classify']));
    await client.close();
  });
});
