import { readFileSync } from 'node:fs';
import Anthropic, {
  AnthropicError,
  APIConnectionError,
  APIError,
  BadRequestError,
  InternalServerError,
  OverloadedError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import type { MessageParam, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NO_PREFILL_MESSAGE } from './anthropic-request.ts';
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
let client: Anthropic;
const model = 'claude-sonnet-4-6';
const ask = (content: string) => ({ model, max_tokens: 256, messages: [{ role: 'user' as const, content }] });

beforeAll(async () => {
  mock = await startMockLlm({ scenario: FIDELITY_SCENARIO });
  // Only the base URL differs from production use; logLevel keeps the SDK's parse-error logging quiet.
  client = new Anthropic({ baseURL: mock.url, apiKey: 'sk-ant-test', maxRetries: 0, logLevel: 'off' });
});
beforeEach(() => mock.reset());
afterAll(() => mock.close());

describe('@anthropic-ai/sdk against the mock', () => {
  it('streams the scripted text with usage through messages.stream', async () => {
    const stream = client.messages.stream(ask('Say something'));
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const message = await stream.finalMessage();
    expect(deltas.join('')).toBe(SCRIPTED_TEXT);
    expect(deltas.length).toBe(Math.ceil(SCRIPTED_TEXT.length / 8));
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBe(Math.ceil(SCRIPTED_TEXT.length / 4));
    expect(stream.request_id).toMatch(/^req_mock_/);
    const [recorded] = mock.requests();
    // SDK 1.x sends the key as a bearer token (0.x used x-api-key); either way the log hides it.
    expect(recorded?.headers.authorization).toBe('***');
    expect(recorded?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('streams a tool call as input_json_delta pieces that parse to the scripted arguments', async () => {
    const tools = [{ name: 'get_weather', description: 'Weather', input_schema: WEATHER_SCHEMA }];
    const stream = client.messages.stream({ ...ask(WEATHER_PROMPT), tools });
    const pieces: string[] = [];
    stream.on('inputJson', (partial) => pieces.push(partial));
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    const call = message.content.find((block) => block.type === 'tool_use');
    expect(call).toMatchObject({ name: 'get_weather', input: WEATHER_ARGS });
    expect(pieces.length).toBeGreaterThan(1);
  });

  it('plays a tool script: two tool_use blocks, then the step matched on their results, then the final text', async () => {
    const tools = Object.entries(EDIT_TOOL_SCHEMAS).map(([name, input_schema]) => ({ name, input_schema }));
    const messages: MessageParam[] = [{ role: 'user', content: EDIT_PROMPT }];
    const stream = client.messages.stream({ model, max_tokens: 256, messages, tools });
    const starts: Array<[number, string]> = [];
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_start') starts.push([event.index, event.content_block.type]);
    });
    const first = await stream.finalMessage();
    expect(starts).toEqual([
      [0, 'text'],
      [1, 'tool_use'],
      [2, 'tool_use'],
    ]);
    expect(first.stop_reason).toBe('tool_use');
    const reads = first.content.filter((block): block is ToolUseBlock => block.type === 'tool_use');
    expect(reads.map((call) => call.input)).toEqual([{ path: 'src/report.ts' }, { path: 'src/export.ts' }]);
    expect(new Set(reads.map((call) => call.id)).size).toBe(2);
    for (const call of reads) expect(call.id).toMatch(/^toolu_[A-Za-z0-9_]+$/);

    // Claude Code sends a result's content as a string or as text blocks: one of each here.
    messages.push({ role: 'assistant', content: first.content });
    messages.push({
      role: 'user',
      content: reads.map((call, i) => {
        const text = runTool(call.name, call.input as Record<string, unknown>);
        return {
          type: 'tool_result',
          tool_use_id: call.id,
          content: i === 0 ? text : [{ type: 'text', text }],
        };
      }),
    });
    const second = await client.messages.create({ model, max_tokens: 256, messages, tools });
    const [edit] = second.content.filter((block): block is ToolUseBlock => block.type === 'tool_use');
    expect(edit).toMatchObject({ name: 'edit_file', input: EDIT_ARGS });

    messages.push({ role: 'assistant', content: second.content });
    const edited = runTool('edit_file', EDIT_ARGS);
    messages.push({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: edit?.id ?? '', content: edited }],
    });
    const last = await client.messages.create({ model, max_tokens: 256, messages, tools });
    expect(last.content).toEqual([{ type: 'text', text: DONE_TEXT }]);
    expect(last.stop_reason).toBe('end_turn');
  });

  it('answers output_config.format with the scripted JSON', async () => {
    const format = { type: 'json_schema' as const, schema: PLAN_SCHEMA };
    const stream = client.messages.stream({ ...ask(PLAN_PROMPT), output_config: { format } });
    const message = await stream.finalMessage();
    const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(JSON.parse(text)).toEqual(PLAN_JSON);
    expect(mock.requests()[0]?.body).toMatchObject({ output_config: { format } });
  });

  it('reports 429 as RateLimitError with retry-after and 529/500 as server errors', async () => {
    const limited = await caught(client.messages.create(ask('hi'), { headers: fault('status:429:7') }));
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as unknown as RateLimitError).headers.get('retry-after')).toBe('7');
    expect((limited as unknown as RateLimitError).requestID).toMatch(/^req_mock_/);
    expect((limited as unknown as RateLimitError).type).toBe('rate_limit_error');
    expect(await caught(client.messages.create(ask('hi'), { headers: fault('status:529') }))).toBeInstanceOf(
      OverloadedError,
    );
    const internal = await caught(client.messages.create(ask('hi'), { headers: fault('status:500') }));
    expect(internal).toBeInstanceOf(InternalServerError);
    expect(internal.status).toBe(500);
  });

  it('surfaces a reset mid-stream as a network error after the chunks before it', async () => {
    const stream = client.messages.stream(ask('hi'), { headers: fault('reset:2') });
    let text = '';
    stream.on('text', (t) => {
      text += t;
    });
    const error = await caught(stream.finalMessage());
    expect(error).toBeInstanceOf(AnthropicError);
    expect(error.message).toBe('terminated');
    expect(text).toBe(scriptedPrefix(2));
    // Without streaming the reset comes before any response: a connection error, which the SDK retries.
    const early = await caught(client.messages.create(ask('hi'), { headers: fault('reset') }));
    expect(early).toBeInstanceOf(APIConnectionError);
  });

  it('ends quietly on eof: the raw stream simply stops, MessageStream has no final message', async () => {
    const raw = await client.messages.create({ ...ask('hi'), stream: true }, { headers: fault('eof:3') });
    const types: string[] = [];
    for await (const event of raw) types.push(event.type);
    expect(types).not.toContain('message_delta');
    expect(types.at(-1)).toBe('content_block_delta');

    const stream = client.messages.stream(ask('hi'), { headers: fault('eof:3') });
    await stream.done();
    const error = await caught(stream.finalMessage());
    expect(error.message).toBe('stream ended without producing a Message with role=assistant');
  });

  it('rethrows the JSON parse error of a malformed event', async () => {
    const raw = await client.messages.create(
      { ...ask('hi'), stream: true },
      { headers: fault('malformed:1') },
    );
    const error = await caught(
      (async () => {
        for await (const _ of raw) {
          // drain
        }
      })(),
    );
    expect(error).toBeInstanceOf(SyntaxError);
  });

  it('turns a mid-stream error event into APIError with overloaded_error', async () => {
    const stream = client.messages.stream(ask('hi'), { headers: fault('error-event:2') });
    const error = await caught(stream.finalMessage());
    expect(error).toBeInstanceOf(APIError);
    expect((error as unknown as APIError).type).toBe('overloaded_error');
    expect(error.error).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  it('holds a stalled stream open until the client aborts', async () => {
    const deadline = abortLater(300);
    const stream = client.messages.stream(ask('hi'), { headers: fault('stall:2'), signal: deadline.signal });
    let text = '';
    stream.on('text', (t) => {
      text += t;
    });
    const error = await caught(stream.finalMessage());
    expect(deadline.fired()).toBe(true);
    expect(error.name).toBe('APIUserAbortError');
    expect(text).toBe(scriptedPrefix(2));
  });

  it('continues an assistant prefill from where it stops, so a broken stream can be resumed', async () => {
    const broken = client.messages.stream(ask('hi'), { headers: fault('reset:3') });
    let partial = '';
    broken.on('text', (t) => {
      partial += t;
    });
    await caught(broken.finalMessage());
    const prefill = partial.trimEnd();
    const resumed = await client.messages.create({
      ...ask('hi'),
      messages: [...ask('hi').messages, { role: 'assistant', content: prefill }],
    });
    const rest = resumed.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(prefill + rest).toBe(SCRIPTED_TEXT);
  });

  it('refuses prefill on a no-prefill model and trailing whitespace in a prefill, as Claude does', async () => {
    const messages = [...ask('hi').messages, { role: 'assistant' as const, content: 'The quick' }];
    const refused = await caught(
      client.messages.create({ ...ask('hi'), model: 'claude-no-prefill', messages }),
    );
    expect(refused).toBeInstanceOf(BadRequestError);
    expect((refused as unknown as BadRequestError).apiMessage).toBe(NO_PREFILL_MESSAGE);
    const spaced = [...ask('hi').messages, { role: 'assistant' as const, content: 'The quick ' }];
    const trailing = await caught(client.messages.create({ ...ask('hi'), messages: spaced }));
    expect(trailing).toBeInstanceOf(BadRequestError);
    expect(trailing.message).toContain('trailing whitespace');
  });

  it('takes system turns inside the conversation on the beta endpoint, as Claude Code 2.x sends them', async () => {
    const message = await client.beta.messages.create({
      model,
      max_tokens: 256,
      betas: ['mid-conversation-system-2026-04-07'],
      messages: [
        { role: 'user', content: 'Say something' },
        // The SDK's types do not know the role yet; Claude Code sends it.
        { role: 'system', content: 'Reminder: be brief.' } as unknown as { role: 'user'; content: string },
      ],
    });
    expect(message.content).toEqual([{ type: 'text', text: SCRIPTED_TEXT }]);
    const [recorded] = mock.requests();
    expect(recorded?.path.split('?')[0]).toBe('/v1/messages');
    expect(recorded?.headers['anthropic-beta']).toBe('mid-conversation-system-2026-04-07');
    // The system turn is an instruction, not a turn: it counts toward the prompt, and a
    // conversation of system turns alone is refused.
    const alone = await caught(
      client.messages.create({
        model,
        max_tokens: 256,
        messages: [{ role: 'system', content: 'x' } as unknown as { role: 'user'; content: string }],
      }),
    );
    expect(alone).toBeInstanceOf(BadRequestError);
    expect(alone.message).toContain('at least one user or assistant message');
  });

  it('answers the request Claude Code 2.1 really sends (recorded) with a stream that ends in message_stop', async () => {
    const recorded = JSON.parse(
      readFileSync(new URL('./__fixtures__/claude-code-2.1-messages.json', import.meta.url), 'utf8'),
    ) as {
      method: string;
      path: string;
      headers: Record<string, string>;
      body: { messages: { role: string }[] };
    };
    expect(recorded.body.messages.map((m) => m.role)).toContain('system');
    const res = await fetch(`${mock.url}${recorded.path}`, {
      method: recorded.method,
      headers: { ...recorded.headers, 'x-api-key': 'sk-ant-test' },
      body: JSON.stringify(recorded.body),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    expect(text).toContain('event: message_start');
    expect(text.trimEnd()).toMatch(/event: message_stop\ndata: \{"type":"message_stop"\}$/);
  });

  it('counts tokens deterministically', async () => {
    const first = await client.messages.countTokens({ model, messages: ask('a'.repeat(40)).messages });
    const again = await client.messages.countTokens({ model, messages: ask('a'.repeat(40)).messages });
    expect(first.input_tokens).toBe(10);
    expect(again).toEqual(first);
  });
});
