import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LlmUnavailableError } from '../errors.ts';
import { type GatewayOnMock, startGatewayOnMock } from '../gateway-on-mock.test-support.ts';
import type { LlmEvent } from './types.ts';

const TEXT = 'The quick brown fox jumps over the lazy dog, then naps under the old oak tree.';
const MODELS = ['anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash', 'openai/gpt-mock'] as const;

let g: GatewayOnMock;
beforeAll(async () => {
  g = await startGatewayOnMock();
});
afterAll(async () => g?.close());
beforeEach(() => {
  g.mock.reset();
  g.sleeps.length = 0;
});

async function run(model: string) {
  const events: LlmEvent[] = [];
  for await (const event of g.gateway.stream({
    model,
    messages: [{ role: 'user', content: 'Tell me about the fox.' }],
  })) {
    events.push(event);
  }
  const text = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
  const finish = events.find((e) => e.type === 'finish');
  return { events, text, finish: finish?.type === 'finish' ? finish : undefined };
}

describe.each(MODELS)('stream faults on %s', (model) => {
  it.each(['reset', 'eof', 'stall', 'malformed', 'error-event'] as const)(
    'survives a mid-stream %s: the full text arrives exactly once',
    async (fault) => {
      g.mock.setScenario([
        { reply: TEXT, chunkSize: 8, fault, after: 3 },
        { reply: TEXT, chunkSize: 8 },
      ]);
      const { text, finish } = await run(model);
      expect(text).toBe(TEXT);
      expect(finish).toMatchObject({ reason: 'stop', attempts: 2 });
      // The second request continued from the 24 characters already delivered instead of starting over.
      const resumed = JSON.stringify(g.mock.requests()[1]?.body);
      expect(resumed).toContain(TEXT.slice(0, 24).trimEnd());
    },
  );

  it.each([429, 500, 503, 529])('retries a %s answer after a backoff and then streams', async (status) => {
    g.mock.setScenario([
      { fault: 'status', status: status as 429, ...(status === 429 ? { retryAfter: 2 } : {}) },
      { reply: TEXT },
    ]);
    const { text, finish } = await run(model);
    expect(text).toBe(TEXT);
    expect(finish?.attempts).toBe(2);
    // 429 waits the provider's retry-after; others full jitter (random 0.5 of the 500 ms base).
    expect(g.sleeps).toEqual([status === 429 ? 2000 : 250]);
  });

  it('reports a non-retryable 400 without retrying', async () => {
    g.mock.setScenario([{ fault: 'status', status: 400 }, { reply: TEXT }]);
    const error = await run(model).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect((error as LlmUnavailableError).attempts).toEqual([
      expect.objectContaining({ errorType: 'client_error', status: 400 }),
    ]);
    expect(g.mock.requests()).toHaveLength(1);
  });

  it('gives up after the configured attempts and says what failed', async () => {
    g.mock.setScenario([{ fault: 'status', status: 503 }]);
    const error = (await run(model).catch((e: unknown) => e)) as LlmUnavailableError;
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.attempts.map((a) => a.errorType)).toEqual(['overloaded', 'overloaded', 'overloaded']);
    expect(error.message).toContain('overloaded');
    expect(g.sleeps).toEqual([250, 500]);
  });
});
