import OpenAI, { InternalServerError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  caught,
  FIDELITY_SCENARIO,
  fault,
  SCRIPTED_TEXT,
  WEATHER_ARGS,
  WEATHER_PROMPT,
  WEATHER_SCHEMA,
} from './mock-test-kit.test-support.ts';
import { type MockLlm, startMockLlm } from './server.ts';

// The Responses API is what Codex speaks; the official SDK is the client here.
let mock: MockLlm;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockLlm({ scenario: FIDELITY_SCENARIO });
  client = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'sk-test', maxRetries: 0, logLevel: 'off' });
});
beforeEach(() => mock.reset());
afterAll(() => mock.close());

describe('openai SDK Responses API against the mock', () => {
  it('answers a non-streaming request with the scripted text as output_text and usage', async () => {
    const response = await client.responses.create({ model: 'gpt-mock', input: 'Say something' });
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe(SCRIPTED_TEXT);
    expect(response.usage?.output_tokens).toBe(Math.ceil(SCRIPTED_TEXT.length / 4));
    expect(response.usage?.total_tokens).toBe(
      (response.usage?.input_tokens ?? 0) + (response.usage?.output_tokens ?? 0),
    );
    expect(mock.requests()[0]?.path).toBe('/v1/responses');
  });

  it('streams typed events in order, with increasing sequence numbers, to response.completed', async () => {
    const stream = client.responses.stream({
      model: 'gpt-mock',
      instructions: 'Be brief.',
      input: [{ role: 'user', content: 'Say something' }],
    });
    const types: string[] = [];
    const sequence: number[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    const final = await stream.finalResponse();
    expect(text).toBe(SCRIPTED_TEXT);
    expect(final.output_text).toBe(SCRIPTED_TEXT);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(types).toContain('response.output_item.done');
    expect(sequence).toEqual(sequence.map((_, i) => i));
  });

  it('streams a function call whose arguments parse to the scripted ones, and takes its output back', async () => {
    const tools = [
      { type: 'function' as const, name: 'get_weather', parameters: WEATHER_SCHEMA, strict: false },
    ];
    const stream = client.responses.stream({ model: 'gpt-mock', input: WEATHER_PROMPT, tools });
    let pieces = 0;
    for await (const event of stream) if (event.type === 'response.function_call_arguments.delta') pieces++;
    const final = await stream.finalResponse();
    const call = final.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather' });
    expect(JSON.parse(call?.type === 'function_call' ? call.arguments : '{}')).toEqual(WEATHER_ARGS);
    expect(pieces).toBeGreaterThan(1);

    // The next turn carries the call and its output, as Codex sends them.
    const next = await client.responses.create({
      model: 'gpt-mock',
      input: [
        { role: 'user', content: WEATHER_PROMPT },
        call!,
        {
          type: 'function_call_output',
          call_id: call?.type === 'function_call' ? call.call_id : '',
          output: '21°C',
        },
      ],
      tools,
    });
    expect(next.status).toBe('completed');
  });

  it('answers a scripted 500 in the chat-completions error shape the SDK raises', async () => {
    const error = await caught(
      client.responses.create(
        { model: 'gpt-mock', input: 'Say something' },
        { headers: fault('status:500') },
      ),
    );
    expect(error).toBeInstanceOf(InternalServerError);
  });

  it('refuses input without a user turn, as OpenAI does', async () => {
    const error = await caught(
      client.responses.create({ model: 'gpt-mock', input: [{ role: 'system', content: 'x' }] }),
    );
    expect((error as { status?: number }).status).toBe(400);
  });
});
