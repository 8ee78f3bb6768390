import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { startWorkers } from '../../../../test/git.ts';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import { type WorkerPool, waitForOperation } from '../../operations/index.ts';
import { classifyRequest } from './classify-request.ts';

/** The SDLC classifier in LLM mode: the `fast` alias on the mock LLM server, through the real gateway. */
let t: TestApp;
let mock: MockLlm;
let workers: WorkerPool;
let h: { authorization: string };
let slug: string;

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
      aliases: { fast: ['anthropic/claude-haiku-4-5'] },
      timeouts: { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 2_000 },
      retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1_000 },
    },
  });
  workers = await startWorkers(t, 2);
  h = bearer((await t.user('member')).token);
  slug = (
    await t.http.inject({ method: 'POST', url: '/api/projects', headers: h, payload: { name: 'Classify' } })
  ).json().slug;
}, 60_000);
afterAll(async () => {
  await workers?.stop();
  await t?.close();
  await mock?.close();
});
beforeEach(() => mock.reset());

const deps = () => ({ clock: t.res.clock, llm: t.res.llm });
const lastPrompt = () => JSON.stringify(mock.requests().at(-1)?.body);

describe('classifyRequest with a model', () => {
  it('takes the model’s structured answer: its kind, confidence and reason, and the phases of that kind', async () => {
    mock.setScenario([
      { json: { kind: 'bugfix', confidence: 0.87, reason: 'It reports totals that are wrong.' } },
    ]);
    const c = await classifyRequest(deps(), { request: 'Totals on the invoices page look off since Monday' });
    expect(c).toMatchObject({
      kind: 'bugfix',
      confidence: 0.87,
      source: 'llm',
      reason: 'It reports totals that are wrong.',
      model: 'anthropic/claude-haiku-4-5',
      phases: ['implement', 'test', 'deploy', 'verify', 'done'],
    });
    expect(lastPrompt()).toContain('Totals on the invoices page look off since Monday');
    expect(lastPrompt()).toContain('\\"bugfix\\"');
  });

  it('re-asks once when the answer does not match the schema, and uses the corrected one', async () => {
    mock.setScenario([
      { json: { kind: 'epic', confidence: 2, reason: '' } },
      { json: { kind: 'chore', confidence: 0.7, reason: 'Upgrading a library changes nothing users see.' } },
    ]);
    const c = await classifyRequest(deps(), { request: 'Move to the new major of the date library' });
    expect(c).toMatchObject({
      kind: 'chore',
      source: 'llm',
      phases: ['plan', 'implement', 'test', 'deploy', 'verify', 'done'],
    });
    expect(mock.requests()).toHaveLength(2);
  });

  it('leaves the answer to the rules when the model answers nonsense, and says why', async () => {
    mock.setScenario([{ reply: 'a bug, probably' }, { reply: 'I think it is a bug' }]);
    const c = await classifyRequest(deps(), { request: "The login button doesn't work" });
    expect(c).toMatchObject({ kind: 'bugfix', source: 'rules' });
    expect(c.fallback).toMatch(/did not match the schema/);
    expect(c.model).toBeUndefined();
  });

  it('leaves it to the rules when the model is too slow', async () => {
    mock.setScenario([{ json: { kind: 'feature', confidence: 0.9, reason: 'late' }, delayMs: 3_000 }]);
    const c = await classifyRequest(deps(), { request: 'Add a dark mode', deadlineMs: 300 });
    expect(c).toMatchObject({ kind: 'feature', source: 'rules', fallback: 'no answer within 300 ms' });
  });
});

describe('issues, classified as they are opened', () => {
  it('shows the rules’ answer at once, then the model’s; a person’s choice overrides both and is audited', async () => {
    mock.setScenario([
      { json: { kind: 'change', confidence: 0.78, reason: 'The page exists; its order should change.' } },
    ]);
    const opened = await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/issues`,
      headers: h,
      payload: { title: 'Order the invoices by due date', body: 'Newest first is not useful to us.' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const url = `/api/projects/${slug}/issues/${opened.json().number}/classification`;
    const first = (await t.http.inject({ url, headers: h })).json();
    expect(first.classification).toMatchObject({ source: expect.stringMatching(/^(rules|llm)$/) });
    const { rows } = await t.res.db.query<{ id: string }>(
      `SELECT id FROM operations WHERE kind = 'studio.classify-issue' ORDER BY created_at DESC LIMIT 1`,
    );
    await waitForOperation(t.res.db, rows[0]!.id, { timeoutMs: 20_000, bus: t.res.bus });
    expect((await t.http.inject({ url, headers: h })).json().classification).toMatchObject({
      kind: 'change',
      confidence: 0.78,
      source: 'llm',
      model: 'anthropic/claude-haiku-4-5',
    });

    const chosen = await t.http.inject({
      method: 'PUT',
      url,
      headers: h,
      payload: { kind: 'bugfix', reason: 'It is a regression.' },
    });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json().classification).toMatchObject({
      kind: 'bugfix',
      source: 'person',
      confidence: 1,
      reason: 'It is a regression.',
      previous: { kind: 'change', source: 'llm' },
    });
    const audit = await t.res.db.query(`SELECT data FROM audit_log WHERE action = 'issue.classify'`);
    expect(audit.rows).toEqual([
      { data: { number: opened.json().number, from: 'change', to: 'bugfix', reason: 'It is a regression.' } },
    ]);

    // Editing the issue does not undo a person's choice.
    await t.http.inject({
      method: 'PATCH',
      url: `/api/projects/${slug}/issues/${opened.json().number}`,
      headers: h,
      payload: { body: 'Add a sort option please.' },
    });
    expect((await t.http.inject({ url, headers: h })).json().classification.source).toBe('person');
  });
});
