import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import { ManualClock } from '../../../platform/clock.ts';
import { Vault } from '../../secrets/index.ts';
import { BudgetExceededError } from '../errors.ts';
import { type GatewayOnMock, MOCK_MODELS, startGatewayOnMock } from '../gateway-on-mock.test-support.ts';
import { type MockLlm, startMockLlm } from '../mock/index.ts';
import type { LlmCallRow } from '../telemetry/call-store.ts';
import type { LlmEvent } from './types.ts';

const TEXT = 'The quick brown fox jumps over the lazy dog, then naps under the old oak tree.';
const clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
let database: TestDatabase;
let flaky: MockLlm;
let g: GatewayOnMock;

beforeAll(async () => {
  database = await createTestDatabase();
  flaky = await startMockLlm({ scenario: [{ fault: 'status', status: 503 }] });
  g = await startGatewayOnMock({
    db: database.db,
    vault: new Vault(randomBytes(32)),
    clock,
    llm: { aliases: { architect: ['flaky/claude-sonnet-4-5', 'gemini/gemini-2.5-flash'] } },
    // A provider on a second mock server, overloaded for now.
    extraProviders: [
      {
        name: 'flaky',
        kind: 'anthropic',
        baseUrl: flaky.url,
        apiKey: 'sk-flaky',
        models: MOCK_MODELS.anthropic,
      },
    ],
  });
});
afterAll(async () => {
  await g?.close();
  await flaky?.close();
  await database?.drop();
});
beforeEach(() => {
  g.mock.reset();
  g.sleeps.length = 0;
});

async function drain(stream: AsyncIterable<LlmEvent>) {
  const events: LlmEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

async function rows(callId: string): Promise<LlmCallRow[]> {
  await g.gateway.flush();
  const { rows } = await database.db.query<LlmCallRow>(
    'SELECT * FROM llm_calls WHERE call_id = $1 ORDER BY attempt',
    [callId],
  );
  return rows;
}

describe('llm_calls records', () => {
  it('writes one row per attempt under one call id, with cost from the price table', async () => {
    g.mock.setScenario([
      { reply: TEXT, chunkSize: 8, fault: 'reset', after: 3 },
      { reply: TEXT, chunkSize: 8 },
    ]);
    const projectId = '7d0c5a2e-1f4b-4c59-9a51-2b8f0a6f9c11';
    const stream = g.gateway.stream({
      model: 'anthropic/claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'fox?' }],
      context: { projectId },
    });
    const events = await drain(stream);
    const [broken, resumed] = await rows(stream.callId);
    expect(broken).toMatchObject({
      attempt: 1,
      retry_index: 0,
      outcome: 'error',
      error_type: 'network',
      usage_estimated: true,
      project_id: projectId,
    });
    expect(resumed).toMatchObject({
      attempt: 2,
      retry_index: 1,
      outcome: 'ok',
      resume_mode: 'prefill',
      finish_reason: 'stop',
      usage_estimated: false,
    });
    // claude-sonnet-4-5 costs $3 in / $15 out per million tokens.
    for (const row of [broken!, resumed!]) {
      expect(row.cost_usd).toBeCloseTo((row.input_tokens * 3 + row.output_tokens * 15) / 1e6, 10);
      expect(row.output_tokens).toBeGreaterThan(0);
    }
    const finish = events.at(-1);
    expect(finish).toMatchObject({ type: 'finish', attempts: 2 });
    expect(finish?.type === 'finish' && finish.costUsd).toBeCloseTo(
      broken!.cost_usd! + resumed!.cost_usd!,
      10,
    );
  });

  it('stamps time to first token on the first chunk, not the end of the stream', async () => {
    g.mock.setScenario([{ reply: 'abcdefghij', chunkSize: 2, delayMs: 120 }]);
    const stream = g.gateway.stream({
      model: 'gemini/gemini-2.5-flash',
      messages: [{ role: 'user', content: 'hi' }],
    });
    await drain(stream);
    const [row] = await rows(stream.callId);
    expect(row!.ttft_ms).toBeGreaterThanOrEqual(100);
    // Five chunks 120 ms apart: the first one lands well before the last.
    expect(row!.ttft_ms!).toBeLessThan(row!.duration_ms - 300);
  });

  it('falls back when retries are spent, then skips the provider while its circuit is open, then probes it', async () => {
    const ask = () =>
      g.gateway.stream({ alias: 'architect', messages: [{ role: 'user', content: 'plan it' }] });
    g.mock.setScenario([{ reply: 'from gemini' }]);
    const first = ask();
    const firstEvents = await drain(first);
    expect(firstEvents.at(-1)).toMatchObject({ type: 'finish', provider: 'gemini' });
    expect(
      (await rows(first.callId)).map((r) => [r.provider, r.outcome, r.error_type, r.fallback_from]),
    ).toEqual([
      ['flaky', 'error', 'overloaded', null],
      ['flaky', 'error', 'overloaded', null],
      ['flaky', 'error', 'overloaded', null],
      ['gemini', 'ok', null, 'flaky/claude-sonnet-4-5'],
    ]);
    expect(flaky.requests()).toHaveLength(3);
    expect((await g.gateway.providers()).find((p) => p.name === 'flaky')?.breaker.state).toBe('open');

    const second = ask();
    expect((await drain(second)).at(-1)).toMatchObject({ type: 'finish', provider: 'gemini' });
    expect((await rows(second.callId)).map((r) => [r.provider, r.outcome])).toEqual([
      ['flaky', 'breaker_open'],
      ['gemini', 'ok'],
    ]);
    expect(flaky.requests()).toHaveLength(3);

    // After the cooldown one probe goes through; it succeeds and closes the circuit.
    clock.advance(30_000);
    flaky.setScenario([{ reply: 'from flaky' }]);
    const third = ask();
    expect((await drain(third)).at(-1)).toMatchObject({ type: 'finish', provider: 'flaky' });
    expect((await g.gateway.providers()).find((p) => p.name === 'flaky')?.breaker.state).toBe('closed');
    const metrics = await g.metrics.registry.metrics();
    expect(metrics).toMatch(
      /orchard_llm_fallbacks_total\{from="flaky\/claude-sonnet-4-5",to="gemini\/gemini-2.5-flash",reason="overloaded"\} 1/,
    );
    expect(metrics).toMatch(/orchard_llm_fallbacks_total\{[^}]*reason="breaker_open"\} 1/);
  });
});

describe('cancellation', () => {
  it('a caller abort stops the stream, throws the abort reason and records the attempt as aborted', async () => {
    g.mock.setScenario([{ reply: 'x'.repeat(400), chunkSize: 4, delayMs: 5 }]);
    const controller = new AbortController();
    const stream = g.gateway.stream({
      model: 'anthropic/claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'hi' }],
      signal: controller.signal,
    });
    let received = 0;
    const error = await (async () => {
      for await (const event of stream) {
        if (event.type !== 'text-delta') continue;
        received += event.text.length;
        if (received >= 20) controller.abort(new Error('user closed the tab'));
      }
    })().catch((e: unknown) => e);
    expect((error as Error).message).toBe('user closed the tab');
    expect(received).toBeLessThan(400);
    const [row] = await rows(stream.callId);
    expect(row).toMatchObject({ outcome: 'aborted', usage_estimated: true });
    expect(row!.output_tokens).toBeGreaterThanOrEqual(5);
  });

  it('a consumer that stops reading ends the request and leaves an aborted record', async () => {
    g.mock.setScenario([{ reply: 'y'.repeat(400), chunkSize: 4, delayMs: 5 }]);
    const stream = g.gateway.stream({
      model: 'gemini/gemini-2.5-flash',
      messages: [{ role: 'user', content: 'hi' }],
    });
    for await (const event of stream) if (event.type === 'text-delta') break;
    const [row] = await rows(stream.callId);
    expect(row).toMatchObject({ outcome: 'aborted', provider: 'gemini' });
    expect((await g.gateway.providers()).find((p) => p.name === 'gemini')?.breaker.consecutiveFailures).toBe(
      0,
    );
  });
});

describe('budgets', () => {
  it('stops a runaway stream once its output budget is spent', async () => {
    g.mock.setScenario([{ reply: 'blah '.repeat(2000), chunkSize: 20, delayMs: 2 }]);
    let text = '';
    const stream = g.gateway.stream({
      model: 'openai/gpt-mock',
      messages: [{ role: 'user', content: 'go on forever' }],
      budget: { outputTokens: 50 },
    });
    const error = await (async () => {
      for await (const event of stream) if (event.type === 'text-delta') text += event.text;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toMatchObject({ kind: 'outputTokens', limit: 50, when: 'stream' });
    expect(text.length).toBeGreaterThan(150);
    expect(text.length).toBeLessThanOrEqual(220);
    // The provider was asked to stop there too.
    expect(g.mock.requests()[0]?.body).toMatchObject({ max_tokens: 50 });
    const [row] = await rows(stream.callId);
    expect(row).toMatchObject({ outcome: 'budget_exceeded', error_type: 'budget_exceeded' });
  });

  it('refuses before calling when the prompt alone is over the input or cost budget', async () => {
    const prompt = 'word '.repeat(4000);
    const tokens = g.gateway.generate({
      model: 'anthropic/claude-sonnet-4-5',
      messages: [{ role: 'user', content: prompt }],
      budget: { inputTokens: 1000 },
    });
    await expect(tokens).rejects.toMatchObject({
      code: 'llm_budget_exceeded',
      kind: 'inputTokens',
      when: 'estimate',
    });
    const cost = g.gateway.generate({
      model: 'anthropic/claude-sonnet-4-5',
      messages: [{ role: 'user', content: prompt }],
      budget: { costUsd: 0.001 },
    });
    await expect(cost).rejects.toMatchObject({ kind: 'costUsd', when: 'estimate' });
    expect(g.mock.requests()).toHaveLength(0);
  });
});
