import { ApiError, type Content, type GenerateContentResponse, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GEMINI_NO_PREFILL_MESSAGE } from './gemini-request.ts';
import {
  abortLater,
  caught,
  DONE_TEXT,
  EDIT_ARGS,
  EDIT_PROMPT,
  EDIT_TOOL_SCHEMAS,
  FIDELITY_SCENARIO,
  fault,
  PLAN_JSON,
  PLAN_PROMPT,
  runTool,
  SCRIPTED_TEXT,
  scriptedPrefix,
  WEATHER_ARGS,
  WEATHER_PROMPT,
} from './mock-test-kit.test-support.ts';
import { type MockLlm, startMockLlm } from './server.ts';

let mock: MockLlm;
let client: GoogleGenAI;
const model = 'gemini-2.5-flash';

beforeAll(async () => {
  mock = await startMockLlm({ scenario: FIDELITY_SCENARIO });
  client = new GoogleGenAI({ apiKey: 'gemini-test-key', httpOptions: { baseUrl: mock.url } });
});
beforeEach(() => mock.reset());
afterAll(() => mock.close());

async function drain(stream: AsyncIterable<GenerateContentResponse>) {
  const seen = {
    text: '',
    finish: undefined as string | undefined,
    last: undefined as GenerateContentResponse | undefined,
  };
  for await (const chunk of stream) {
    seen.text += chunk.text ?? '';
    seen.finish = chunk.candidates?.[0]?.finishReason ?? seen.finish;
    seen.last = chunk;
  }
  return seen;
}

const streamWith = (contents: string, headers: Record<string, string> = {}, abortSignal?: AbortSignal) =>
  client.models.generateContentStream({ model, contents, config: { httpOptions: { headers }, abortSignal } });

describe('@google/genai against the mock', () => {
  it('streams the scripted text with cumulative usage metadata', async () => {
    const seen = await drain(await streamWith('Say something'));
    expect(seen.text).toBe(SCRIPTED_TEXT);
    expect(seen.finish).toBe('STOP');
    expect(seen.last?.usageMetadata?.candidatesTokenCount).toBe(Math.ceil(SCRIPTED_TEXT.length / 4));
    expect(seen.last?.modelVersion).toBe(model);
    const [recorded] = mock.requests();
    expect(recorded?.path).toBe(`/v1beta/models/${model}:streamGenerateContent?alt=sse`);
    expect(recorded?.headers['x-goog-api-key']).toBe('***');
  });

  it('delivers a tool call whole as a functionCall part, finishing with STOP', async () => {
    const tools = [
      { functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object' } }] },
    ];
    const stream = await client.models.generateContentStream({
      model,
      contents: WEATHER_PROMPT,
      config: { tools },
    });
    const calls = [];
    let finish: string | undefined;
    for await (const chunk of stream) {
      calls.push(...(chunk.functionCalls ?? []));
      finish = chunk.candidates?.[0]?.finishReason ?? finish;
    }
    expect(calls).toEqual([{ name: 'get_weather', args: WEATHER_ARGS }]);
    expect(finish).toBe('STOP');
  });

  it('plays a tool script: two functionCall parts in one chunk, then the step matched on their responses, then the final text', async () => {
    const functionDeclarations = Object.entries(EDIT_TOOL_SCHEMAS).map(([name, parametersJsonSchema]) => ({
      name,
      parametersJsonSchema,
    }));
    const config = { tools: [{ functionDeclarations }] };
    const contents: Content[] = [{ role: 'user', parts: [{ text: EDIT_PROMPT }] }];
    // Gemini CLI answers each call with a functionResponse part whose response is `{output}`.
    const answer = (calls: Array<{ id?: string; name?: string; args?: Record<string, unknown> }>) => ({
      role: 'user',
      parts: calls.map((call, i) => ({
        functionResponse: {
          id: call.id ?? `${call.name}-${i}`,
          name: call.name,
          response: { output: runTool(call.name ?? '', call.args ?? {}) },
        },
      })),
    });

    const callsPerChunk: number[] = [];
    const modelParts: NonNullable<Content['parts']> = [];
    for await (const chunk of await client.models.generateContentStream({ model, contents, config })) {
      if (chunk.functionCalls?.length) callsPerChunk.push(chunk.functionCalls.length);
      modelParts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
    }
    expect(callsPerChunk).toEqual([2]);
    const reads = modelParts.flatMap((part) => (part.functionCall ? [part.functionCall] : []));
    expect(reads).toEqual([
      { name: 'read_file', args: { path: 'src/report.ts' } },
      { name: 'read_file', args: { path: 'src/export.ts' } },
    ]);
    contents.push({ role: 'model', parts: modelParts }, answer(reads));

    const second = await client.models.generateContent({ model, contents, config });
    expect(second.functionCalls).toEqual([{ name: 'edit_file', args: EDIT_ARGS }]);
    contents.push(second.candidates?.[0]?.content ?? {}, answer(second.functionCalls ?? []));

    const last = await client.models.generateContent({ model, contents, config });
    expect(last.text).toBe(DONE_TEXT);
    expect(last.functionCalls).toBeUndefined();
  });

  it('answers responseMimeType application/json with the scripted JSON', async () => {
    const config = { responseMimeType: 'application/json', responseJsonSchema: { type: 'object' } };
    const seen = await drain(
      await client.models.generateContentStream({ model, contents: PLAN_PROMPT, config }),
    );
    expect(JSON.parse(seen.text)).toEqual(PLAN_JSON);
    expect(mock.requests()[0]?.body).toMatchObject({
      generationConfig: { responseMimeType: 'application/json' },
    });
  });

  it('reports 429 as ApiError with a RetryInfo detail, and 500/503 with their status', async () => {
    const limited = await caught(streamWith('hi', fault('status:429:4')));
    expect(limited).toBeInstanceOf(ApiError);
    expect(limited.status).toBe(429);
    const body = JSON.parse(limited.message);
    expect(body.error).toMatchObject({
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '4s' }],
    });
    for (const status of [500, 503]) {
      const error = await caught(streamWith('hi', fault(`status:${status}`)));
      expect(error).toBeInstanceOf(ApiError);
      expect(error.status).toBe(status);
    }
  });

  it('surfaces a reset mid-stream as TypeError: terminated', async () => {
    let text = '';
    const error = await caught(
      (async () => {
        for await (const chunk of await streamWith('hi', fault('reset:2'))) text += chunk.text ?? '';
      })(),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('terminated');
    expect(text).toBe(scriptedPrefix(2));
  });

  it('ends silently on eof, without a finish reason', async () => {
    const seen = await drain(await streamWith('hi', fault('eof:3')));
    expect(seen.text).toBe(scriptedPrefix(3));
    expect(seen.finish).toBeUndefined();
  });

  it('throws a SyntaxError on a malformed chunk', async () => {
    expect(await caught(drain(await streamWith('hi', fault('malformed:1'))))).toBeInstanceOf(SyntaxError);
  });

  it('throws ApiError when a bare JSON error arrives mid-stream', async () => {
    for (const after of [0, 2]) {
      const error = await caught(drain(await streamWith('hi', fault(`error-event:${after}`))));
      expect(error).toBeInstanceOf(ApiError);
      expect(error.status).toBe(503);
      expect(error.message).toContain('UNAVAILABLE');
    }
  });

  it('holds a stalled stream open until the client aborts', async () => {
    const deadline = abortLater(300);
    let text = '';
    const error = await caught(
      (async () => {
        for await (const chunk of await streamWith('hi', fault('stall:2'), deadline.signal))
          text += chunk.text ?? '';
      })(),
    );
    expect(deadline.fired()).toBe(true);
    expect(error.name).toBe('AbortError');
    expect(text).toBe(scriptedPrefix(2));
  });

  it('continues a trailing model turn, and refuses it on a no-prefill model', async () => {
    const partial = scriptedPrefix(3);
    const contents = [
      { role: 'user', parts: [{ text: 'hi' }] },
      { role: 'model', parts: [{ text: partial }] },
    ];
    const resumed = await client.models.generateContent({ model, contents });
    expect(partial + resumed.text).toBe(SCRIPTED_TEXT);
    const refused = await caught(client.models.generateContent({ model: 'gemini-no-prefill', contents }));
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused.status).toBe(400);
    expect(refused.message).toContain(GEMINI_NO_PREFILL_MESSAGE);
  });

  it('counts tokens', async () => {
    const counted = await client.models.countTokens({ model, contents: 'a'.repeat(40) });
    expect(counted.totalTokens).toBe(10);
  });
});
