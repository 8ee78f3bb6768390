import OpenAI, { AuthenticationError, NotFoundError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOCK_MODELS } from '../gateway-on-mock.test-support.ts';
import { type ProxyOnMock, SCRIPTED, startProxyOnMock } from './proxy-on-mock.test-support.ts';

let p: ProxyOnMock;
const gptMock = MOCK_MODELS.openai[0]!;
const client = (apiKey: string) =>
  new OpenAI({ baseURL: `${p.url}/llm/openai/v1`, apiKey, maxRetries: 0, logLevel: 'off' });
const messages = [{ role: 'user' as const, content: 'Say something' }];

beforeAll(async () => {
  p = await startProxyOnMock();
});
afterAll(() => p?.close());

describe('the openai SDK pointed at /llm/openai/v1 with an Orchard token', () => {
  it('streams chat completion chunks; usage is asked for upstream, read from the last chunk and booked', async () => {
    p.mock.reset();
    const since = await p.lastRowId();
    const stream = await client(p.agent.token).chat.completions.create({
      model: 'gpt-mock',
      messages,
      stream: true,
    });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(SCRIPTED);
    expect(chunks).toBeGreaterThan(Math.ceil(SCRIPTED.length / 6));
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    const upstream = p.mock.requests()[0]!.body as Record<string, unknown>;
    expect(upstream.stream_options).toEqual({ include_usage: true });
    const [row, ...more] = await p.rowsSince(since);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      provider: 'openai',
      model: 'gpt-mock',
      outcome: 'ok',
      input_tokens: usage!.prompt_tokens,
      output_tokens: usage!.completion_tokens,
      project_id: p.agent.projectId,
      agent_session_id: p.agent.agentSessionId,
    });
    expect(row!.cost_usd).toBeCloseTo(
      (usage!.prompt_tokens * gptMock.input + usage!.completion_tokens * gptMock.output) / 1e6,
      10,
    );
  });

  it("streams a Responses API turn (Codex's protocol); Codex's own model name goes to the coder alias", async () => {
    p.mock.reset();
    const since = await p.lastRowId();
    const stream = client(p.agent.token).responses.stream({ model: 'gpt-5-codex', input: 'Say something' });
    let text = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    const final = await stream.finalResponse();
    expect(text).toBe(SCRIPTED);
    expect(final.output_text).toBe(SCRIPTED);
    expect((p.mock.requests()[0]!.body as { model: string }).model).toBe('gpt-mock');
    const [row] = await p.rowsSince(since);
    expect(row).toMatchObject({
      alias: 'coder',
      provider: 'openai',
      model: 'gpt-mock',
      outcome: 'ok',
      input_tokens: final.usage!.input_tokens,
      output_tokens: final.usage!.output_tokens,
      agent_session_id: p.agent.agentSessionId,
    });
    expect(row!.output_tokens).toBeGreaterThan(0);
    expect(row!.cost_usd).toBeGreaterThan(0);
  });

  it('answers a whole (unstreamed) chat completion and books its usage', async () => {
    const since = await p.lastRowId();
    const completion = await client(p.agent.token).chat.completions.create({ model: 'coder', messages });
    expect(completion.choices[0]?.message.content).toBe(SCRIPTED);
    expect(await p.rowsSince(since)).toEqual([
      expect.objectContaining({
        alias: 'coder',
        outcome: 'ok',
        input_tokens: completion.usage!.prompt_tokens,
        output_tokens: completion.usage!.completion_tokens,
      }),
    ]);
  });

  it('lists the models an OpenAI client may name', async () => {
    const ids: string[] = [];
    for await (const model of client(p.agent.token).models.list()) ids.push(model.id);
    expect(ids).toEqual(['coder', 'openai/gpt-mock', 'openai/vllm-mock']);
  });

  it('refuses a bad key with the 401 the SDK raises as AuthenticationError', async () => {
    const error = await client('orch_notarealtokennotarealtoken00')
      .chat.completions.create({ model: 'coder', messages })
      .catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.error).toEqual({
      message: 'The API token is not valid.',
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    });
  });

  it('answers a model with no OpenAI-compatible target with a 404 saying how to configure one', async () => {
    const error = await client(p.agent.token)
      .chat.completions.create({ model: 'fast', messages })
      .catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe('model_not_found');
    expect(error.error.message).toMatch(/alias "fast" has no openai-compatible model.*llm\.aliases\.fast/);
  });
});
