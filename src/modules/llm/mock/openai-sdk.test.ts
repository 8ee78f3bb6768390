import OpenAI, { APIConnectionError, APIError, InternalServerError, RateLimitError } from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
  PLAN_SCHEMA,
  runTool,
  SCRIPTED_TEXT,
  scriptedPrefix,
  WEATHER_ARGS,
  WEATHER_PROMPT,
  WEATHER_SCHEMA,
} from './mock-test-kit.test-support.ts';
import { type MockLlm, startMockLlm } from './server.ts';

let mock: MockLlm;
let client: OpenAI;
const ask = (content: string) => ({ model: 'gpt-mock', messages: [{ role: 'user' as const, content }] });
const streaming = { stream: true as const, stream_options: { include_usage: true } };

beforeAll(async () => {
  mock = await startMockLlm({ scenario: FIDELITY_SCENARIO });
  client = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'sk-test', maxRetries: 0, logLevel: 'off' });
});
beforeEach(() => mock.reset());
afterAll(() => mock.close());

async function drain(stream: AsyncIterable<ChatCompletionChunk>) {
  const seen = {
    text: '',
    finish: null as string | null,
    usage: null as ChatCompletionChunk['usage'],
    chunks: 0,
  };
  for await (const chunk of stream) {
    seen.chunks += 1;
    seen.text += chunk.choices[0]?.delta.content ?? '';
    seen.finish = chunk.choices[0]?.finish_reason ?? seen.finish;
    seen.usage = chunk.usage ?? seen.usage;
  }
  return seen;
}

describe('openai SDK against the mock', () => {
  it('streams the scripted text and the usage chunk when include_usage is set', async () => {
    const seen = await drain(await client.chat.completions.create({ ...ask('Say something'), ...streaming }));
    expect(seen.text).toBe(SCRIPTED_TEXT);
    expect(seen.finish).toBe('stop');
    expect(seen.usage).toMatchObject({ completion_tokens: Math.ceil(SCRIPTED_TEXT.length / 4) });
    expect(seen.usage?.total_tokens).toBe(
      (seen.usage?.prompt_tokens ?? 0) + (seen.usage?.completion_tokens ?? 0),
    );
    expect(mock.requests()[0]?.headers.authorization).toBe('***');
  });

  it('sends no usage chunk without include_usage', async () => {
    const seen = await drain(await client.chat.completions.create({ ...ask('Say something'), stream: true }));
    expect(seen.text).toBe(SCRIPTED_TEXT);
    expect(seen.usage).toBeNull();
  });

  it('streams a tool call as tool_calls deltas ending with finish_reason tool_calls', async () => {
    const tools = [
      { type: 'function' as const, function: { name: 'get_weather', parameters: WEATHER_SCHEMA } },
    ];
    const stream = await client.chat.completions.create({ ...ask(WEATHER_PROMPT), ...streaming, tools });
    let name = '';
    let args = '';
    let pieces = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        name += call.function?.name ?? '';
        args += call.function?.arguments ?? '';
        pieces += 1;
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(name).toBe('get_weather');
    expect(JSON.parse(args)).toEqual(WEATHER_ARGS);
    expect(pieces).toBeGreaterThan(2);
    expect(finish).toBe('tool_calls');
  });

  it('plays a tool script: two tool_calls by index, then the step matched on their results, then the final text', async () => {
    const tools = Object.entries(EDIT_TOOL_SCHEMAS).map(([name, parameters]) => ({
      type: 'function' as const,
      function: { name, parameters },
    }));
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: EDIT_PROMPT }];
    const stream = client.chat.completions.stream({ model: 'gpt-mock', messages, tools, ...streaming });
    const heads: Array<[number, string | undefined]> = [];
    stream.on('chunk', (chunk) => {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? [])
        if (call.id) heads.push([call.index, call.id]);
    });
    const first = (await stream.finalChatCompletion()).choices[0];
    expect(first?.finish_reason).toBe('tool_calls');
    expect(first?.message.content).toBe('Reading both files.');
    const reads = (first?.message.tool_calls ?? []).flatMap((call) =>
      call.type === 'function' ? [call] : [],
    );
    expect(reads.map((call) => JSON.parse(call.function.arguments))).toEqual([
      { path: 'src/report.ts' },
      { path: 'src/export.ts' },
    ]);
    expect(heads.map(([index]) => index)).toEqual([0, 1]);
    expect(heads.map(([, id]) => id)).toEqual(reads.map((call) => call.id));
    expect(new Set(reads.map((call) => call.id)).size).toBe(2);
    for (const call of reads) expect(call.id).toMatch(/^call_/);

    // One `tool` message per result, after the assistant message that made the calls.
    messages.push({ role: 'assistant', content: first?.message.content ?? null, tool_calls: reads });
    for (const call of reads) {
      const content = runTool(call.function.name, JSON.parse(call.function.arguments));
      messages.push({ role: 'tool', tool_call_id: call.id, content });
    }
    const second = (await client.chat.completions.create({ model: 'gpt-mock', messages, tools })).choices[0];
    const edit = second?.message.tool_calls?.[0];
    expect(second?.message.tool_calls).toHaveLength(1);
    expect(edit?.type === 'function' && [edit.function.name, JSON.parse(edit.function.arguments)]).toEqual([
      'edit_file',
      EDIT_ARGS,
    ]);

    messages.push({ role: 'assistant', content: null, tool_calls: second?.message.tool_calls ?? [] });
    // Content as text parts this time, which the API takes too.
    const edited = [{ type: 'text' as const, text: runTool('edit_file', EDIT_ARGS) }];
    messages.push({ role: 'tool', tool_call_id: edit?.id ?? '', content: edited });
    const last = await drain(
      await client.chat.completions.create({ model: 'gpt-mock', messages, tools, ...streaming }),
    );
    expect(last.text).toBe(DONE_TEXT);
    expect(last.finish).toBe('stop');
  });

  it('answers response_format json_schema with the scripted JSON', async () => {
    const response_format = {
      type: 'json_schema' as const,
      json_schema: { name: 'plan', schema: PLAN_SCHEMA, strict: true },
    };
    const seen = await drain(
      await client.chat.completions.create({ ...ask(PLAN_PROMPT), ...streaming, response_format }),
    );
    expect(JSON.parse(seen.text)).toEqual(PLAN_JSON);
  });

  it('reports 429 as RateLimitError with retry-after, 500 and 503 as InternalServerError', async () => {
    const limited = await caught(
      client.chat.completions.create(ask('hi'), { headers: fault('status:429:3') }),
    );
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as unknown as RateLimitError).headers.get('retry-after')).toBe('3');
    expect((limited as unknown as RateLimitError).code).toBe('rate_limit_exceeded');
    for (const status of [500, 503]) {
      const error = await caught(
        client.chat.completions.create(ask('hi'), { headers: fault(`status:${status}`) }),
      );
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error.status).toBe(status);
    }
  });

  it('surfaces a reset mid-stream as TypeError: terminated', async () => {
    const stream = await client.chat.completions.create(
      { ...ask('hi'), ...streaming },
      { headers: fault('reset:2') },
    );
    let text = '';
    const error = await caught(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('terminated');
    expect(text).toBe(scriptedPrefix(2));
    const early = await caught(client.chat.completions.create(ask('hi'), { headers: fault('reset') }));
    expect(early).toBeInstanceOf(APIConnectionError);
  });

  it('ends silently on eof, with no finish_reason and no usage', async () => {
    const seen = await drain(
      await client.chat.completions.create({ ...ask('hi'), ...streaming }, { headers: fault('eof:3') }),
    );
    expect(seen.text).toBe(scriptedPrefix(3));
    expect(seen.finish).toBeNull();
    expect(seen.usage).toBeNull();
  });

  it('throws a SyntaxError on a malformed chunk', async () => {
    const stream = await client.chat.completions.create(
      { ...ask('hi'), ...streaming },
      { headers: fault('malformed:1') },
    );
    expect(await caught(drain(stream))).toBeInstanceOf(SyntaxError);
  });

  it('throws APIError on an error object mid-stream', async () => {
    const stream = await client.chat.completions.create(
      { ...ask('hi'), ...streaming },
      { headers: fault('error-event:2') },
    );
    const error = await caught(drain(stream));
    expect(error).toBeInstanceOf(APIError);
    expect(error.message).toBe('The server is overloaded. Please try again later.');
    expect((error as unknown as APIError).type).toBe('server_error');
  });

  it('holds a stalled stream open until the client aborts (the SDK then ends the loop quietly)', async () => {
    const deadline = abortLater(300);
    const stream = await client.chat.completions.create(
      { ...ask('hi'), ...streaming },
      { headers: fault('stall:2'), signal: deadline.signal },
    );
    const seen = await drain(stream);
    expect(deadline.fired()).toBe(true);
    expect(seen.text).toBe(scriptedPrefix(2));
  });

  it('continues after the last assistant message when the user asks to continue', async () => {
    const partial = scriptedPrefix(2);
    const messages = [
      { role: 'user' as const, content: 'hi' },
      { role: 'assistant' as const, content: partial },
      { role: 'user' as const, content: 'Continue exactly where you stopped.' },
    ];
    const seen = await drain(
      await client.chat.completions.create({ model: 'gpt-mock', messages, ...streaming }),
    );
    expect(partial + seen.text).toBe(SCRIPTED_TEXT);
  });

  it('lists models', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['mock-model']);
  });
});
