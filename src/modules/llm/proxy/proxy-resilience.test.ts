import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic, { InternalServerError, RateLimitError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../../test/support/until.ts';
import { MOCK_MODELS } from '../gateway-on-mock.test-support.ts';
import { type MockLlm, startMockLlm } from '../mock/index.ts';
import { type ProxyOnMock, SCRIPTED, startProxyOnMock } from './proxy-on-mock.test-support.ts';

let p: ProxyOnMock;
let down: MockLlm;
let limited: MockLlm;
let stall: Server;
let silent: Server;
let broken: Server;
let deadUrl: string;
const stallRequests: IncomingHttpHeaders[] = [];
let stallClosed = 0;
const ask = { max_tokens: 256, messages: [{ role: 'user' as const, content: 'Say something' }] };
const client = (options: { defaultHeaders?: Record<string, string> } = {}) =>
  new Anthropic({
    baseURL: `${p.url}/llm/anthropic`,
    apiKey: p.agent.token,
    maxRetries: 0,
    logLevel: 'off',
    ...options,
  });

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const sse = (type: string, data: Record<string, unknown>) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

beforeAll(async () => {
  down = await startMockLlm({ scenario: [{ fault: 'status', status: 503 }] });
  limited = await startMockLlm({ scenario: [{ fault: 'status', status: 429, retryAfter: 7 }] });
  // An Anthropic stream that starts and then says nothing more, until the client leaves.
  stall = createServer((req, res) => {
    stallRequests.push(req.headers);
    res.on('close', () => {
      stallClosed += 1;
    });
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(
      sse('message_start', {
        message: {
          id: 'msg_stall',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 7, output_tokens: 1 },
        },
      }) +
        sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
        sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hel' } }),
    );
  });
  const stallUrl = await listen(stall);
  // Takes requests and never answers, not even with headers.
  silent = createServer(() => undefined);
  const silentUrl = await listen(silent);
  // A whole answer that breaks off: its length promised, a part sent, the connection dropped.
  broken = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
    res.write('{"id":"msg_broken","type":"message","content":[{"type":"text","text":"Hel');
    setImmediate(() => res.socket?.destroy());
  });
  const brokenUrl = await listen(broken);
  const closed = createServer();
  deadUrl = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
  const anthropicOn = (name: string, baseUrl: string) => ({
    name,
    kind: 'anthropic',
    baseUrl,
    apiKey: `sk-${name}-upstream-key`,
    models: MOCK_MODELS.anthropic,
  });
  p = await startProxyOnMock({
    providers: [
      anthropicOn('down', down.url),
      anthropicOn('limited', limited.url),
      anthropicOn('dead', deadUrl),
      anthropicOn('stall', stallUrl),
      anthropicOn('silent', silentUrl),
      anthropicOn('broken', brokenUrl),
      // The same failing server under another name: its own circuit.
      anthropicOn('flaky', down.url),
    ],
    aliases: {
      architect: ['down/claude-sonnet-4-5', 'anthropic/claude-sonnet-4-5'],
      planner: ['dead/claude-sonnet-4-5', 'gemini/gemini-2.5-flash', 'anthropic/claude-sonnet-4-5'],
      hanging: ['silent/claude-sonnet-4-5', 'anthropic/claude-sonnet-4-5'],
      reviewer: ['flaky/claude-sonnet-4-5', 'anthropic/claude-sonnet-4-5'],
    },
    llm: {
      // Long enough for a loaded machine to answer from the mock, short enough for the test.
      timeouts: { connectMs: 1_000 },
      breaker: { failureThreshold: 2, cooldownMs: 600_000 },
    },
  });
});
afterAll(async () => {
  await p?.close();
  await down?.close();
  await limited?.close();
  for (const server of [stall, silent, broken]) {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }
});

describe('the proxy before and after the first byte', () => {
  it('falls back to the next model when the first answers 503; both attempts are rows of one call', async () => {
    const since = await p.lastRowId();
    const stream = client().messages.stream({ model: 'architect', ...ask });
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: SCRIPTED }]);
    const rows = await p.rowsSince(since);
    expect(
      rows.map((r) => [r.attempt, r.provider, r.outcome, r.error_type, r.status_code, r.fallback_from]),
    ).toEqual([
      [1, 'down', 'error', 'overloaded', 503, null],
      [2, 'anthropic', 'ok', null, null, 'down/claude-sonnet-4-5'],
    ]);
    expect(new Set(rows.map((r) => r.call_id)).size).toBe(1);
    expect(rows.every((r) => r.alias === 'architect' && r.agent_session_id === p.agent.agentSessionId)).toBe(
      true,
    );
    expect(rows[1]!.output_tokens).toBeGreaterThan(0);
  });

  it('falls back past a provider it cannot connect to, skipping models of another protocol', async () => {
    const since = await p.lastRowId();
    const message = await client().messages.create({ model: 'planner', ...ask });
    expect(message.content).toEqual([{ type: 'text', text: SCRIPTED }]);
    const rows = await p.rowsSince(since);
    expect(rows.map((r) => [r.provider, r.outcome, r.error_type])).toEqual([
      ['dead', 'error', 'network'],
      ['anthropic', 'ok', null],
    ]);
    expect(rows[0]!.error_message).toMatch(/ECONNREFUSED/);
  });

  it('falls back when a stream gets no headers within the connect timeout', async () => {
    const since = await p.lastRowId();
    const final = await client()
      .messages.stream({ model: 'hanging', ...ask })
      .finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: SCRIPTED }]);
    const rows = await p.rowsSince(since);
    expect(rows.map((r) => [r.provider, r.outcome, r.error_type])).toEqual([
      ['silent', 'error', 'connect_timeout'],
      ['anthropic', 'ok', null],
    ]);
    expect(rows[0]!.duration_ms).toBeGreaterThanOrEqual(1_000);
  });

  it("shares the gateway's circuit breakers: once a provider's circuit opens, requests skip it", async () => {
    const since = await p.lastRowId();
    for (let i = 0; i < 3; i++) await client().messages.create({ model: 'reviewer', ...ask });
    const rows = await p.rowsSince(since);
    expect(rows.filter((r) => r.provider === 'flaky').map((r) => r.outcome)).toEqual([
      'error',
      'error',
      'breaker_open',
    ]);
    const flaky = (await p.t.res.llm.providers()).find((provider) => provider.name === 'flaky');
    expect(flaky?.breaker.state).toBe('open');
  });

  it("passes the last model's 429 through with its retry-after, for the client's SDK to honour", async () => {
    const since = await p.lastRowId();
    const error = await client()
      .messages.create({ model: 'limited/claude-sonnet-4-5', ...ask })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.headers.get('retry-after')).toBe('7');
    expect(error.error.error.type).toBe('rate_limit_error');
    expect(await p.rowsSince(since)).toEqual([
      expect.objectContaining({
        provider: 'limited',
        outcome: 'error',
        error_type: 'rate_limited',
        status_code: 429,
      }),
    ]);
  });

  it('answers a whole answer that broke off with an error the SDK retries, not a cut body; the row says error', async () => {
    const since = await p.lastRowId();
    const error = await client()
      .messages.create({ model: 'broken/claude-sonnet-4-5', ...ask })
      .catch((e) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(529);
    expect(error.error.error.type).toBe('overloaded_error');
    expect(await p.rowsSince(since)).toEqual([
      expect.objectContaining({ provider: 'broken', outcome: 'error', error_type: 'network' }),
    ]);
  });

  it('cancels the upstream request when the client leaves mid-stream; the row says aborted, with the usage so far', async () => {
    const since = await p.lastRowId();
    const leave = new AbortController();
    const stream = client({
      defaultHeaders: { cookie: 'orchard_session=not-for-providers' },
    }).messages.stream({ model: 'stall/claude-sonnet-4-5', ...ask }, { signal: leave.signal });
    await new Promise<void>((resolve) => stream.on('text', () => resolve()));
    leave.abort();
    await stream.done().catch(() => undefined);
    await until(() => stallClosed === 1, 5_000, 'the upstream connection to close');
    const [row] = await until(async () => {
      const rows = await p.rowsSince(since);
      return rows.length ? rows : undefined;
    });
    expect(row).toMatchObject({ provider: 'stall', outcome: 'aborted', input_tokens: 7, output_tokens: 1 });
    expect(row!.ttft_ms).not.toBeNull();
    // Upstream got the provider's key and the protocol's headers, never the client's credentials.
    const headers = stallRequests[0]!;
    expect(headers['x-api-key']).toBe('sk-stall-upstream-key');
    expect(headers.authorization).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    expect(headers['anthropic-version']).toBeDefined();
    expect(JSON.stringify(row)).not.toContain(p.agent.token);
  });
});
