import OpenAI, { InternalServerError } from 'openai';
import type { ResponseFunctionToolCall, ResponseInputItem } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  caught,
  DONE_TEXT,
  EDIT_ARGS,
  EDIT_PROMPT,
  EDIT_TOOL_SCHEMAS,
  FIDELITY_SCENARIO,
  fault,
  runTool,
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

  it('plays a tool script: two function_call items, then the step matched on their outputs, then the final text', async () => {
    const tools = Object.entries(EDIT_TOOL_SCHEMAS).map(([name, parameters]) => ({
      type: 'function' as const,
      name,
      parameters,
      strict: false,
    }));
    // Codex keeps the whole conversation as input items and appends each response's output to it.
    const input: ResponseInputItem[] = [{ role: 'user', content: EDIT_PROMPT }];
    const calls = (output: Array<{ type: string }>) =>
      output.filter((item): item is ResponseFunctionToolCall => item.type === 'function_call');
    const answerCalls = (output: Array<{ type: string }>) => {
      input.push(...(output as ResponseInputItem[]));
      for (const call of calls(output)) {
        const result = runTool(call.name, JSON.parse(call.arguments));
        input.push({ type: 'function_call_output', call_id: call.call_id, output: result });
      }
    };

    const stream = client.responses.stream({ model: 'gpt-mock', input, tools });
    const added: Array<[number, string]> = [];
    for await (const event of stream) {
      if (event.type === 'response.output_item.added') added.push([event.output_index, event.item.type]);
    }
    const first = await stream.finalResponse();
    expect(added).toEqual([
      [0, 'message'],
      [1, 'function_call'],
      [2, 'function_call'],
    ]);
    expect(first.output_text).toBe('Reading both files.');
    const reads = calls(first.output);
    expect(reads.map((call) => JSON.parse(call.arguments))).toEqual([
      { path: 'src/report.ts' },
      { path: 'src/export.ts' },
    ]);
    expect(new Set(reads.flatMap((call) => [call.id, call.call_id])).size).toBe(4);
    answerCalls(first.output);

    const second = await client.responses.create({ model: 'gpt-mock', input, tools });
    const [edit] = calls(second.output);
    expect(calls(second.output)).toHaveLength(1);
    expect(edit && [edit.name, JSON.parse(edit.arguments)]).toEqual(['edit_file', EDIT_ARGS]);
    answerCalls(second.output);

    const last = await client.responses.create({ model: 'gpt-mock', input, tools });
    expect(last.output_text).toBe(DONE_TEXT);
    expect(calls(last.output)).toEqual([]);
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

describe('tool namespaces (Codex offers an MCP server’s tools as one)', () => {
  it('answers a scripted <namespace>__<tool> call as that tool in the namespace the request offers, and reads it back by the same name', async () => {
    const own = await startMockLlm({
      scenario: [
        { match: { turn: 0 }, toolCall: { name: 'mcp__orchard__create_issue', args: { title: 'Hi' } } },
        { match: { tool: 'mcp__orchard__create_issue' }, reply: 'Filed.' },
      ],
    });
    try {
      const tools = [
        {
          type: 'namespace',
          name: 'mcp__orchard',
          tools: [{ type: 'function', name: 'create_issue', parameters: { type: 'object' } }],
        },
      ];
      const post = async (input: unknown[]) =>
        (
          await fetch(`${own.url}/v1/responses`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
            body: JSON.stringify({ model: 'gpt-mock', input, tools }),
          })
        ).json() as Promise<{ output: Array<Record<string, unknown>> }>;
      const input: unknown[] = [{ role: 'user', content: 'File it' }];
      const first = await post(input);
      const call = first.output.find((item) => item.type === 'function_call')!;
      expect(call).toMatchObject({ name: 'create_issue', namespace: 'mcp__orchard' });
      input.push(call, { type: 'function_call_output', call_id: call.call_id, output: '{"number":1}' });
      const second = await post(input);
      expect(second.output).toEqual([expect.objectContaining({ type: 'message' })]);
      expect(JSON.stringify(second.output)).toContain('Filed.');
    } finally {
      await own.close();
    }
  });
});
