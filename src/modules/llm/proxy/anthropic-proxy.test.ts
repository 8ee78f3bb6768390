import Anthropic, { AuthenticationError, NotFoundError, PermissionDeniedError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOCK_MODELS } from '../gateway-on-mock.test-support.ts';
import { type ProxyOnMock, SCRIPTED, startProxyOnMock } from './proxy-on-mock.test-support.ts';

let p: ProxyOnMock;
const sonnet = MOCK_MODELS.anthropic[0]!;
const client = (apiKey: string, options: { authToken?: boolean } = {}) =>
  new Anthropic({
    baseURL: `${p.url}/llm/anthropic`,
    ...(options.authToken ? { authToken: apiKey, apiKey: null } : { apiKey }),
    maxRetries: 0,
    logLevel: 'off',
  });
const ask = { max_tokens: 256, messages: [{ role: 'user' as const, content: 'Say something' }] };

beforeAll(async () => {
  p = await startProxyOnMock();
});
afterAll(() => p?.close());

describe('the Anthropic SDK pointed at /llm/anthropic with an Orchard token', () => {
  it('gets a whole message; the attempt is one row with tokens, cost, project and session', async () => {
    const since = await p.lastRowId();
    const { data: message, response } = await client(p.agent.token)
      .messages.create({ model: 'claude-sonnet-4-5', ...ask })
      .withResponse();
    expect(message.content).toEqual([{ type: 'text', text: SCRIPTED }]);
    // A whole answer goes out whole, with its length, not piped in chunks.
    expect(response.headers.get('transfer-encoding')).toBeNull();
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0);
    const rows = await p.rowsSince(since);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      alias: null,
      outcome: 'ok',
      attempt: 1,
      project_id: p.agent.projectId,
      agent_session_id: p.agent.agentSessionId,
      input_tokens: message.usage.input_tokens,
      output_tokens: message.usage.output_tokens,
    });
    expect(row!.output_tokens).toBeGreaterThan(0);
    expect(row!.cost_usd).toBeCloseTo(
      (message.usage.input_tokens * sonnet.input + message.usage.output_tokens * sonnet.output) / 1e6,
      10,
    );
    expect(row!.ttft_ms).toBeGreaterThanOrEqual(0);
  });

  it('streams message events through as they come; usage from message_start and message_delta is booked', async () => {
    const since = await p.lastRowId();
    const stream = client(p.agent.token).messages.stream({ model: 'claude-sonnet-4-5', ...ask });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const final = await stream.finalMessage();
    expect(deltas.join('')).toBe(SCRIPTED);
    // The mock streams six characters per event: each arrived as its own delta.
    expect(deltas.length).toBe(Math.ceil(SCRIPTED.length / 6));
    expect(final.stop_reason).toBe('end_turn');
    const [row] = await p.rowsSince(since);
    expect(row).toMatchObject({
      outcome: 'ok',
      input_tokens: final.usage.input_tokens,
      output_tokens: final.usage.output_tokens,
      agent_session_id: p.agent.agentSessionId,
    });
    expect(row!.output_tokens).toBeGreaterThan(0);
    expect(row!.cost_usd).toBeGreaterThan(0);
  });

  it("sends a stream with the server's own headers (request id, security) and the answer's", async () => {
    const response = await fetch(`${p.url}/llm/anthropic/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': p.agent.token,
        'content-type': 'application/json',
        'x-request-id': 'req-stream-1',
      },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', stream: true, ...ask }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-request-id')).toBe('req-stream-1');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-orchard-call-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.text()).toContain('event: message_stop');
  });

  it('serves the beta endpoint as Claude Code calls it (?beta=true, a bearer token), sending the query on', async () => {
    p.mock.reset();
    const since = await p.lastRowId();
    const message = await client(p.person.token, { authToken: true }).beta.messages.create(
      { model: 'anthropic/claude-sonnet-4-5', ...ask, betas: ['interleaved-thinking-2025-05-14'] },
      { query: { beta: 'true' } },
    );
    expect(message.content).toEqual([{ type: 'text', text: SCRIPTED }]);
    const upstream = p.mock.requests()[0]!;
    expect(upstream.path).toBe('/v1/messages?beta=true');
    expect(upstream.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
    // The SDK's own API version goes on (the proxy adds 2023-06-01 only when a client sends none).
    expect(upstream.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(upstream.headers['x-api-key']).toBe('***');
    expect(upstream.headers.authorization).toBeUndefined();
    // A person's own token: the call is booked to nobody's session.
    expect(await p.rowsSince(since)).toEqual([
      expect.objectContaining({ outcome: 'ok', project_id: null, agent_session_id: null }),
    ]);
  });

  it("sends a CLI's own default model to the coder alias's first Anthropic model", async () => {
    p.mock.reset();
    const since = await p.lastRowId();
    await client(p.agent.token).messages.create({ model: 'claude-opus-4-9-unknown', ...ask });
    expect((p.mock.requests()[0]!.body as { model: string }).model).toBe('claude-sonnet-4-5');
    expect(await p.rowsSince(since)).toEqual([
      expect.objectContaining({ alias: 'coder', provider: 'anthropic', model: 'claude-sonnet-4-5' }),
    ]);
  });

  it('counts tokens through the proxy without booking a call', async () => {
    const since = await p.lastRowId();
    const counted = await client(p.agent.token).messages.countTokens({
      model: 'claude-sonnet-4-5',
      messages: ask.messages,
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect(await p.rowsSince(since)).toEqual([]);
  });

  it('lists the aliases and models an Anthropic client may name', async () => {
    const ids: string[] = [];
    for await (const model of client(p.agent.token).models.list()) ids.push(model.id);
    expect(ids).toEqual(['coder', 'anthropic/claude-sonnet-4-5', 'anthropic/claude-no-prefill-4-6']);
  });

  it('refuses a bad key with the 401 the SDK raises as AuthenticationError', async () => {
    const error = await client('orch_notarealtokennotarealtoken00')
      .messages.create({ model: 'coder', ...ask })
      .catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.error).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'The API token is not valid.' },
    });
    const missing = await fetch(`${p.url}/llm/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'coder', ...ask }),
    });
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.type).toBe('authentication_error');
  });

  it('refuses a read-only token with a 403 permission_error', async () => {
    const { token } = await p.boundToken(['read']);
    const error = await client(token)
      .messages.create({ model: 'coder', ...ask })
      .catch((e) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.error.error.type).toBe('permission_error');
    expect(error.message).toMatch(/write scope/);
  });

  it('answers a model only another protocol serves with a 404 saying where it is served', async () => {
    const error = await client(p.agent.token)
      .messages.create({ model: 'gpt-mock', ...ask })
      .catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.error.error.type).toBe('not_found_error');
    expect(error.error.error.message).toMatch(/provider "openai" \(openai-compatible\)/);
  });

  it("answers a body that is not a JSON object, or a body without content type, in the provider's words", async () => {
    const post = (body: BodyInit, headers: Record<string, string>) =>
      fetch(`${p.url}/llm/anthropic/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': p.agent.token, ...headers },
        body,
      });
    for (const body of ['{"model":', '[1,2]']) {
      const response = await post(body, { 'content-type': 'application/json' });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        type: 'error',
        error: { type: 'invalid_request_error', message: 'The request body must be a JSON object.' },
      });
    }
    const untyped = await post(new TextEncoder().encode(JSON.stringify({ model: 'coder', ...ask })), {});
    expect(untyped.status).toBe(200);
    expect((await untyped.json()).content).toEqual([{ type: 'text', text: SCRIPTED }]);
  });

  it("passes the provider's 4xx through unchanged", async () => {
    const since = await p.lastRowId();
    const response = await fetch(`${p.url}/llm/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': p.agent.token },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', messages: ask.messages }),
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/max_tokens/);
    expect(response.headers.get('request-id')).toBeTruthy();
    expect(await p.rowsSince(since)).toEqual([
      expect.objectContaining({ outcome: 'error', error_type: 'client_error', status_code: 400 }),
    ]);
  });
});
