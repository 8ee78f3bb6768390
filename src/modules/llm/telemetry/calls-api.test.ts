import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { MOCK_MODELS } from '../gateway-on-mock.test-support.ts';
import { type MockLlm, startMockLlm } from '../mock/index.ts';

let mock: MockLlm;
let down: MockLlm;
let t: TestApp;
let admin: { token: string };
let owner: { token: string };
let projectId: string;
const slug = 'gallery';

beforeAll(async () => {
  mock = await startMockLlm({ scenario: [{ reply: 'fine' }] });
  down = await startMockLlm({ scenario: [{ fault: 'status', status: 500 }] });
  t = await createTestApp({
    llm: {
      providers: [
        {
          name: 'anthropic',
          kind: 'anthropic',
          baseUrl: mock.url,
          apiKey: 'k1',
          models: MOCK_MODELS.anthropic,
        },
        { name: 'gemini', kind: 'gemini', baseUrl: mock.url, apiKey: 'k2', models: MOCK_MODELS.gemini },
        { name: 'down', kind: 'anthropic', baseUrl: down.url, apiKey: 'k3', models: MOCK_MODELS.anthropic },
      ],
      aliases: {
        architect: ['down/claude-sonnet-4-5', 'gemini/gemini-2.5-flash'],
        fast: ['anthropic/claude-sonnet-4-5'],
      },
      // No real backoff in tests: the first retry waits at most 1 ms.
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    },
  });
  admin = await t.user('admin');
  owner = await t.user('member');
  const project = await t.http.inject({
    method: 'POST',
    url: '/api/projects',
    headers: bearer(owner.token),
    payload: { name: 'Gallery', slug },
  });
  projectId = project.json().id;

  const ask = (alias: string, context = {}) =>
    t.res.llm.generate({ alias, messages: [{ role: 'user', content: 'hi' }], context });
  await ask('fast', { projectId });
  await ask('fast', { projectId });
  await ask('architect', { projectId }); // two failures on "down", then gemini
  await ask('fast');
  // Rows are written in batches a few milliseconds after each call.
  await t.res.llm.flush();
});
afterAll(async () => {
  await t?.close();
  await mock?.close();
  await down?.close();
});

const get = (url: string, token: string) => t.http.inject({ url, headers: bearer(token) });

describe('GET /api/llm/calls', () => {
  it('lists every attempt for admins, filtered and paginated', async () => {
    const all = await get('/api/llm/calls', admin.token);
    expect(all.statusCode).toBe(200);
    expect(all.json().items).toHaveLength(6);
    const failed = (await get('/api/llm/calls?outcome=error', admin.token)).json().items;
    expect(
      failed.map((c: { provider: string; errorType: string; statusCode: number }) => [
        c.provider,
        c.errorType,
        c.statusCode,
      ]),
    ).toEqual([
      ['down', 'server_error', 500],
      ['down', 'server_error', 500],
    ]);
    const callId = failed[0].callId;
    const call = (await get(`/api/llm/calls?callId=${callId}`, admin.token)).json().items;
    expect(call.map((c: { attempt: number }) => c.attempt)).toEqual([3, 2, 1]);
    expect(call[0]).toMatchObject({
      provider: 'gemini',
      outcome: 'ok',
      fallbackFrom: 'down/claude-sonnet-4-5',
      alias: 'architect',
    });

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: number }>; nextCursor: string | null } = (
        await get(`/api/llm/calls?limit=4${cursor ? `&cursor=${cursor}` : ''}`, admin.token)
      ).json();
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
  });

  it("shows a project's calls to its members only, and everything to admins only", async () => {
    const stranger = await t.user('member');
    expect((await get('/api/llm/calls', owner.token)).statusCode).toBe(403);
    expect((await get(`/api/llm/calls?project=${slug}`, stranger.token)).statusCode).toBe(403);
    const mine = (await get(`/api/llm/calls?project=${slug}`, owner.token)).json().items;
    expect(mine).toHaveLength(5);
    expect(mine.every((c: { projectId: string }) => c.projectId === projectId)).toBe(true);
    expect((await get('/api/llm/calls?since=yesterday', admin.token)).statusCode).toBe(400);
  });
});

describe('GET /api/llm/stats', () => {
  it('reports latency percentiles, rates, and tokens and cost by provider, model and project', async () => {
    const stats = await get('/api/llm/stats?window=1h', admin.token);
    expect(stats.statusCode).toBe(200);
    const s = stats.json();
    expect(s).toMatchObject({
      window: '1h',
      calls: 4,
      attempts: 6,
      errorRate: 0,
      retryRate: 0.25,
      fallbackRate: 0.25,
    });
    expect(s.ttftMs.p50).toBeGreaterThan(0);
    expect(s.ttftMs.p95).toBeGreaterThanOrEqual(s.ttftMs.p50);
    expect(s.durationMs.p50).toBeGreaterThanOrEqual(s.ttftMs.p50);
    expect(
      s.byProvider.map((p: { provider: string; calls: number }) => [p.provider, p.calls]).sort(),
    ).toEqual([
      ['anthropic', 3],
      ['down', 1],
      ['gemini', 1],
    ]);
    const sonnet = s.byModel.find((m: { provider: string }) => m.provider === 'anthropic');
    expect(sonnet.costUsd).toBeCloseTo((sonnet.inputTokens * 3 + sonnet.outputTokens * 15) / 1e6, 9);
    expect(s.byProject.find((p: { slug: string | null }) => p.slug === slug)).toMatchObject({
      projectId,
      calls: 3,
    });
    const total = s.byProvider.reduce((sum: number, p: { costUsd: number }) => sum + p.costUsd, 0);
    expect(s.costUsd).toBeCloseTo(total, 9);

    const project = (await get(`/api/llm/stats?project=${slug}`, owner.token)).json();
    expect(project.calls).toBe(3);
    expect((await get('/api/llm/stats?window=2y', admin.token)).statusCode).toBe(400);
  });
});
