import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { listenApp, startWorkers } from '../../../../test/git.ts';
import { readFileAt, repositoryPath } from '../../git/index.ts';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import { getOperation, type WorkerPool, waitForOperation } from '../../operations/index.ts';
import { BUILD_SCENARIO, CHANGE, CHANGE_SCENARIO, SNAKE } from './snake-agent.test-support.ts';

/**
 * A prompt no template builds ("a snake game…"): offline it is refused before anything is written;
 * with a coder model the scaffold of the closest template is the starting point and the llm-agent
 * (scripted on the mock) builds the rest — including acceptance checks the browser robot runs on
 * staging. Then a change request: the agent on a branch of its own, a preview, verification.
 */
describe('offline, with no model', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('refuses an off-template prompt before any work, saying how to configure a provider', async () => {
    const { token } = await t.user('member');
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/prompts',
      headers: bearer(token),
      payload: { prompt: SNAKE },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().detail).toMatch(
      /a game.*no LLM provider is configured for the "coder" alias.*Add a provider/s,
    );
    const { rows } = await t.res.db.query(
      'SELECT (SELECT count(*) FROM projects)::int AS projects, (SELECT count(*) FROM operations)::int AS ops',
    );
    expect(rows[0]).toEqual({ projects: 0, ops: 0 });
  });

  it('still builds what a template fits, with the scaffold', async () => {
    const { token } = await t.user('member');
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/prompts',
      headers: bearer(token),
      payload: { prompt: 'a recipe box with ingredients and ratings' },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ runtime: 'scaffold', fit: { template: 'crud-app' } });
    expect(res.json().fit.confidence).toBeGreaterThanOrEqual(0.5);
  });
});

describe('with a coder model', () => {
  let t: TestApp;
  let mock: MockLlm;
  let workers: WorkerPool;
  let h: { authorization: string };
  let started: {
    operationId: string;
    projectSlug: string;
    blueprintId: string;
    branch: string;
    runtime: string;
  };

  beforeAll(async () => {
    mock = await startMockLlm();
    t = await createTestApp({
      'deploy.healthTimeoutMs': 20_000,
      'deploy.drainTimeoutMs': 1_000,
      llm: {
        providers: [
          {
            name: 'openai',
            kind: 'openai-compatible',
            baseUrl: `${mock.url}/v1`,
            apiKey: 'sk-test',
            models: [{ id: 'gpt-mock', input: 1, output: 2 }],
          },
        ],
        aliases: { coder: ['openai/gpt-mock'] },
        timeouts: { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 5_000 },
      },
    });
    await listenApp(t);
    workers = await startWorkers(t);
    t.res.deploy.start({ bus: t.res.bus });
    h = bearer((await t.user('member')).token);
  });
  afterAll(async () => {
    await workers?.stop();
    await t?.res.deploy.stop();
    await t?.res.browsers.close();
    await t?.close();
    await mock?.close();
  });

  const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
    t.http.inject({ method, url, headers: h, payload });

  it('builds the game with the agent from the closest template, and verifies what was asked on staging', {
    timeout: 240_000,
  }, async () => {
    mock.setScenario(BUILD_SCENARIO);
    const res = await api('POST', '/api/prompts', { prompt: SNAKE });
    expect(res.statusCode, res.body).toBe(202);
    started = res.json();
    expect(started.runtime).toBe('llm-agent');
    const op = await waitForOperation(t.res.db, started.operationId, { timeoutMs: 220_000, bus: t.res.bus });
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');

    const repo = repositoryPath(t.config.home, started.projectSlug);
    expect(await readFileAt(repo, started.branch, 'lib/app.js')).toContain("'/play'");
    const events = (await api('GET', `/api/operations/${started.operationId}/events?limit=1000`)).json()
      .items as {
      type: string;
      data: Record<string, unknown>;
    }[];
    const lines = events
      .filter((e) => e.type === 'log')
      .map((e) => String(e.data.line ?? e.data.text ?? JSON.stringify(e.data)));
    expect(lines.join('\n')).toMatch(/Template match: crud-app, confidence 25 %/);
    expect(lines.join('\n')).toMatch(/acceptance checks in \.orchard\/smoke\.yml and \d+ user stor/);
    // What was asked is checked whoever wrote the app: the agent's checks and the Blueprint's stories.
    const browser = steps(await getOperation(t.res.db, started.operationId)).find(
      (s) => s.key === 'verify/browser',
    );
    const checked = (browser!.output as { pages: { name: string; passed: boolean }[] }).pages;
    expect(checked.map((p) => p.name)).toEqual([
      'Play',
      expect.stringMatching(/^Story see-home: /),
      expect.stringMatching(/^Story add-item: /),
    ]);
    expect(checked.every((p) => p.passed)).toBe(true);
    const session = events.find((e) => e.type === 'artifact' && e.data.kind === 'agent-session');
    expect(session).toBeDefined();
    expect(
      steps(await getOperation(t.res.db, started.operationId)).find((s) => s.key === 'verify/report')?.output,
    ).toMatchObject({ passed: true });
  });

  it('makes a change request with the agent on a branch of its own, deployed as a preview and verified', {
    timeout: 240_000,
  }, async () => {
    mock.setScenario(CHANGE_SCENARIO);
    const res = await api('POST', `/api/blueprints/${started.blueprintId}/changes`, {
      request: CHANGE,
    });
    expect(res.statusCode, res.body).toBe(202);
    const change = res.json();
    expect(change).toMatchObject({ runtime: 'llm-agent' });
    expect(change.branch).not.toBe(started.branch);
    const op = await waitForOperation(t.res.db, change.operationId, { timeoutMs: 220_000, bus: t.res.bus });
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    const steps = (await getOperation(t.res.db, change.operationId)).steps;
    expect(steps.find((s) => s.key === 'deploy')?.output).toMatchObject({
      environment: `preview/${change.branch}`,
    });
    expect(steps.find((s) => s.key === 'verify/report')?.output).toMatchObject({ passed: true });
    const repo = repositoryPath(t.config.home, started.projectSlug);
    expect(await readFileAt(repo, change.branch, 'lib/app.js')).toContain('Best: 0');
    const mrs = (await api('GET', `/api/projects/${started.projectSlug}/merge-requests`)).json().items;
    expect(mrs.map((m: { sourceBranch: string }) => m.sourceBranch)).toContain(change.branch);
    const mr = mrs.find((m: { sourceBranch: string }) => m.sourceBranch === change.branch);
    const events = (await api('GET', `/api/operations/${change.operationId}/events?limit=1000`)).json()
      .items as { type: string; data: Record<string, unknown> }[];
    // The build links the merge request live, as it does for a scaffold build.
    expect(events.find((e) => e.type === 'artifact' && e.data.kind === 'merge-request')?.data).toMatchObject({
      number: mr.number,
      url: `/api/projects/${started.projectSlug}/merge-requests/${mr.number}`,
    });
  });

  it('refuses a change request to a Blueprint that was never built', async () => {
    const created = await api('POST', `/api/projects/${started.projectSlug}/blueprints`, {
      prompt: 'a list of books',
    });
    if (created.statusCode !== 201) return expect.fail(created.body);
    const res = await api('POST', `/api/blueprints/${created.json().id}/changes`, {
      request: 'add a rating',
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().detail).toMatch(/Build the Blueprint first/);
  });
});

const steps = (op: Awaited<ReturnType<typeof getOperation>>) => op.steps;
