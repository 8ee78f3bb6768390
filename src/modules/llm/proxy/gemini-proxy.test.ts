import { ApiError, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLeak } from '../../../../test/secret-leaks.ts';
import { MOCK_MODELS } from '../gateway-on-mock.test-support.ts';
import { type ProxyOnMock, SCRIPTED, startProxyOnMock } from './proxy-on-mock.test-support.ts';

let p: ProxyOnMock;
const flash = MOCK_MODELS.gemini[0]!;
const client = (apiKey: string) =>
  new GoogleGenAI({ apiKey, httpOptions: { baseUrl: `${p.url}/llm/gemini` } });

beforeAll(async () => {
  p = await startProxyOnMock();
});
afterAll(() => p?.close());

describe('@google/genai pointed at /llm/gemini with an Orchard token', () => {
  it('streams generateContent chunks (alt=sse); the last usageMetadata is booked', async () => {
    p.mock.reset();
    const since = await p.lastRowId();
    const stream = await client(p.agent.token).models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Say something',
    });
    let text = '';
    let chunks = 0;
    let usage: { promptTokenCount?: number; candidatesTokenCount?: number } | undefined;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.text ?? '';
      usage = chunk.usageMetadata ?? usage;
    }
    expect(text).toBe(SCRIPTED);
    // Six characters per chunk, and the closing chunk: each arrived as its own.
    expect(chunks).toBeGreaterThanOrEqual(Math.ceil(SCRIPTED.length / 6));
    expect(p.mock.requests()[0]?.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    const [row] = await p.rowsSince(since);
    expect(row).toMatchObject({
      provider: 'gemini',
      model: 'gemini-2.5-flash',
      outcome: 'ok',
      input_tokens: usage!.promptTokenCount,
      output_tokens: usage!.candidatesTokenCount,
      project_id: p.agent.projectId,
      agent_session_id: p.agent.agentSessionId,
    });
    expect(row!.output_tokens).toBeGreaterThan(0);
    expect(row!.cost_usd).toBeCloseTo(
      (usage!.promptTokenCount! * flash.input + usage!.candidatesTokenCount! * flash.output) / 1e6,
      10,
    );
  });

  it('answers generateContent whole and countTokens without booking it', async () => {
    const since = await p.lastRowId();
    const ai = client(p.agent.token);
    const answer = await ai.models.generateContent({ model: 'fast', contents: 'Say something' });
    expect(answer.text).toBe(SCRIPTED);
    const counted = await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'Say something' });
    expect(counted.totalTokens).toBeGreaterThan(0);
    expect(await p.rowsSince(since)).toEqual([
      expect.objectContaining({
        alias: 'fast',
        outcome: 'ok',
        output_tokens: answer.usageMetadata!.candidatesTokenCount,
      }),
    ]);
  });

  it('takes the key as ?key= too, and never writes it to the log', async () => {
    const response = await fetch(
      `${p.url}/llm/gemini/v1beta/models/gemini-2.5-flash:generateContent?key=${p.agent.token}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Say something' }] }] }),
      },
    );
    expect(response.status).toBe(200);
    expect(p.mock.requests().at(-1)?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    const logs = p.t.logs.join('\n');
    expect(logs).toContain('"url":"/llm/gemini/v1beta/models/gemini-2.5-flash:generateContent?key=***"');
    expect(findLeak(logs, p.agent.token)).toBeUndefined();
    expect(findLeak(logs, 'gemini-upstream-key')).toBeUndefined();
  });

  it('refuses a bad key with the 401 UNAUTHENTICATED the SDK raises as ApiError', async () => {
    const error = await client('orch_notarealtokennotarealtoken00')
      .models.generateContent({ model: 'fast', contents: 'hi' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(401);
    expect(JSON.parse(error.message)).toEqual({
      error: { code: 401, message: 'The API token is not valid.', status: 'UNAUTHENTICATED' },
    });
  });

  it('answers an unknown model with no Gemini model in the coder alias with a 404 NOT_FOUND', async () => {
    const error = await client(p.agent.token)
      .models.generateContent({ model: 'gemini-9-ultra', contents: 'hi' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(404);
    expect(JSON.parse(error.message).error.status).toBe('NOT_FOUND');
    expect(JSON.parse(error.message).error.message).toMatch(/Configure a provider of kind gemini/);
  });
});
