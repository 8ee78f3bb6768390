import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmUnavailableError } from '../errors.ts';
import { type GatewayOnMock, startGatewayOnMock } from '../gateway-on-mock.test-support.ts';
import { parseRetryAfter } from './backoff.ts';
import { decideRetry } from './retry-decision.ts';

let silent: Server;
const sockets: Socket[] = [];
let g: GatewayOnMock;

beforeAll(async () => {
  // Accepts connections and never answers: the response headers never come.
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as AddressInfo).port;
  g = await startGatewayOnMock({
    extraProviders: [
      { name: 'silent', kind: 'anthropic', baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k', models: [] },
    ],
    // Wide enough that a loaded machine still answers the mock in time; each test waits for one of them.
    llm: { timeouts: { connectMs: 3_000, firstTokenMs: 3_000, idleMs: 1_000 }, retry: { maxAttempts: 1 } },
  });
});
afterAll(async () => {
  await g?.close();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
});

const failureOf = async (model: string) => {
  const error = await g.gateway
    .generate({ model, messages: [{ role: 'user', content: 'hi' }] })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LlmUnavailableError);
  return (error as LlmUnavailableError).attempts[0]?.errorType;
};

describe('timeouts', () => {
  it('connect: no response headers in time', async () => {
    expect(await failureOf('silent/claude-sonnet-4-5')).toBe('connect_timeout');
  });

  it('first token: headers but no content in time', async () => {
    g.mock.setScenario([{ reply: 'late', fault: 'stall', after: 0 }]);
    expect(await failureOf('gemini/gemini-2.5-flash')).toBe('first_token_timeout');
  });

  it('idle: the stream stalls after some content', async () => {
    g.mock.setScenario([{ reply: 'some text then nothing', chunkSize: 4, fault: 'stall', after: 2 }]);
    expect(await failureOf('openai/gpt-mock')).toBe('idle_timeout');
  });
});

describe('retry timing', () => {
  const policy = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };
  const failure = { type: 'rate_limited' as const, retryable: true, providerFault: true, message: '' };
  const decide = (over: Partial<Parameters<typeof decideRetry>[0]>) =>
    decideRetry({
      failure,
      tries: 1,
      policy,
      breakerOpen: false,
      hasNext: true,
      firstMidStreamBreak: false,
      random: () => 0.999,
      ...over,
    });

  it('reads retry-after-ms, retry-after seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after-ms': '1500', 'retry-after': '9' }, now)).toBe(1500);
    expect(parseRetryAfter({ 'retry-after': '2' }, now)).toBe(2000);
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5000);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
  });

  it('full jitter below an exponential ceiling capped at maxDelayMs', () => {
    expect(decide({ tries: 1 })).toEqual({ next: 'retry', waitMs: 499 });
    expect(decide({ tries: 2 })).toEqual({ next: 'retry', waitMs: 999 });
    expect(decide({ tries: 2, policy: { ...policy, maxAttempts: 10 }, random: () => 0 })).toEqual({
      next: 'retry',
      waitMs: 0,
    });
    expect(decide({ tries: 9, policy: { ...policy, maxAttempts: 10 } })).toEqual({
      next: 'retry',
      waitMs: 7992,
    });
  });

  it('honours retry-after up to the cap; beyond it, falls back when it can', () => {
    expect(decide({ failure: { ...failure, retryAfterMs: 20_000 } })).toEqual({
      next: 'retry',
      waitMs: 20_000,
    });
    expect(decide({ failure: { ...failure, retryAfterMs: 90_000 } })).toEqual({ next: 'fallback' });
    expect(decide({ failure: { ...failure, retryAfterMs: 90_000 }, hasNext: false })).toEqual({
      next: 'retry',
      waitMs: 30_000,
    });
  });

  it('falls back when retries are spent, the error is final, or the circuit opened', () => {
    expect(decide({ tries: 3 })).toEqual({ next: 'fallback' });
    expect(decide({ failure: { ...failure, retryable: false } })).toEqual({ next: 'fallback' });
    expect(decide({ breakerOpen: true })).toEqual({ next: 'fallback' });
    expect(decide({ firstMidStreamBreak: true })).toEqual({ next: 'retry', waitMs: 0 });
  });
});
