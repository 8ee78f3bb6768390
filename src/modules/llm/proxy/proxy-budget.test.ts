import Anthropic, { PaymentRequiredError } from '@anthropic-ai/sdk';
import { ApiError, GoogleGenAI } from '@google/genai';
import OpenAI, { RateLimitError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckBudget, ProxyCaller } from './proxy-caller.ts';
import { type ProxyOnMock, startProxyOnMock } from './proxy-on-mock.test-support.ts';

let p: ProxyOnMock;
let spent: { token: string; agentSessionId: string };
const asked: ProxyCaller[] = [];
const MESSAGE = 'The agent session spent its budget of $2.00; raise it to go on.';
// The gate agent sessions plug in: here one session's budget is spent.
const checkBudget: CheckBudget = async (caller) => {
  asked.push(caller);
  return caller.agentSessionId === spent?.agentSessionId ? { ok: false, message: MESSAGE } : { ok: true };
};

beforeAll(async () => {
  p = await startProxyOnMock({ http: { checkLlmBudget: checkBudget } });
  spent = await p.boundToken();
});
afterAll(() => p?.close());

describe("a spent budget, refused in each provider's words so the client stops", () => {
  it('Anthropic: 402 billing_error, which the SDK raises as PaymentRequiredError and does not retry', async () => {
    asked.length = 0;
    const client = new Anthropic({ baseURL: `${p.url}/llm/anthropic`, apiKey: spent.token, logLevel: 'off' });
    const error = await client.messages
      .create({ model: 'coder', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(PaymentRequiredError);
    expect(error.error).toEqual({ type: 'error', error: { type: 'billing_error', message: MESSAGE } });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ agentSessionId: spent.agentSessionId, projectId: p.agent.projectId });
    expect(p.mock.requests()).toEqual([]);
  });

  it('OpenAI: 429 insufficient_quota with x-should-retry: false, so the SDK does not retry it', async () => {
    asked.length = 0;
    const client = new OpenAI({
      baseURL: `${p.url}/llm/openai/v1`,
      apiKey: spent.token,
      maxRetries: 2,
      logLevel: 'off',
    });
    const error = await client.responses.create({ model: 'coder', input: 'hi' }).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.code).toBe('insufficient_quota');
    expect(error.error.message).toBe(MESSAGE);
    expect(asked).toHaveLength(1);
  });

  it('Gemini: 400 FAILED_PRECONDITION, which Gemini clients do not retry', async () => {
    const ai = new GoogleGenAI({ apiKey: spent.token, httpOptions: { baseUrl: `${p.url}/llm/gemini` } });
    const error = await ai.models.generateContent({ model: 'fast', contents: 'hi' }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(JSON.parse(error.message)).toEqual({
      error: { code: 400, message: MESSAGE, status: 'FAILED_PRECONDITION' },
    });
  });

  it('leaves other sessions alone, and token counting (free) is not gated', async () => {
    const client = new Anthropic({ baseURL: `${p.url}/llm/anthropic`, apiKey: spent.token, logLevel: 'off' });
    const counted = await client.messages.countTokens({
      model: 'coder',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
    const other = new Anthropic({
      baseURL: `${p.url}/llm/anthropic`,
      apiKey: p.agent.token,
      logLevel: 'off',
    });
    const message = await other.messages.create({
      model: 'coder',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text' });
  });
});
