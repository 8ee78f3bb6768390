import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { caught, fault } from './mock-test-kit.test-support.ts';
import { type MockLlm, startMockLlm } from './server.ts';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm({ scenario: [{ reply: 'Hello world!', chunkSize: 4 }] });
});
beforeEach(() => {
  mock.setScenario([{ reply: 'Hello world!', chunkSize: 4 }]);
  mock.reset();
});
afterAll(() => mock.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(mock.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
/** Splits an SSE body into its events (the text between blank lines). */
const events = (text: string) => text.split('\n\n').filter((e) => e.length > 0);
const dataOf = (event: string) => JSON.parse(event.slice(event.indexOf('data: ') + 6));

const anthropicBody = {
  model: 'claude-test',
  max_tokens: 100,
  stream: true,
  messages: [{ role: 'user', content: 'hi' }],
};
const openaiBody = { model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'hi' }] };
const geminiBody = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
const geminiStream = '/v1beta/models/gemini-test:streamGenerateContent?alt=sse';

describe('stream framing', () => {
  it('Anthropic: every event has an event line naming its data.type, in the documented order', async () => {
    const res = await post('/v1/messages', anthropicBody);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('request-id')).toMatch(/^req_mock_/);
    const all = events(await res.text());
    for (const event of all) expect(event).toMatch(/^event: (\S+)\ndata: \{"type":"\1"/);
    expect(all.map((e) => dataOf(e).type)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(dataOf(all[7] ?? '')).toMatchObject({
      delta: { stop_reason: 'end_turn' },
      usage: { output_tokens: 3 },
    });
  });

  it('Gemini: data-only events, cumulative usage, finishReason last, no [DONE]', async () => {
    const res = await post(geminiStream, geminiBody);
    const all = events(await res.text());
    expect(all.every((e) => e.startsWith('data: {'))).toBe(true);
    const chunks = all.map(dataOf);
    const counts = chunks.map((c) => c.usageMetadata.candidatesTokenCount);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(chunks.at(-1)?.candidates[0].finishReason).toBe('STOP');
    expect(chunks.slice(0, -1).every((c) => c.candidates[0].finishReason === undefined)).toBe(true);
  });

  it('OpenAI: data-only, ends with [DONE], usage chunk and usage:null only with include_usage', async () => {
    const plain = events(await (await post('/v1/chat/completions', openaiBody)).text());
    expect(plain.at(-1)).toBe('data: [DONE]');
    expect(plain.slice(0, -1).some((e) => 'usage' in dataOf(e))).toBe(false);
    const withUsage = { ...openaiBody, stream_options: { include_usage: true } };
    const counted = events(await (await post('/v1/chat/completions', withUsage)).text());
    const chunks = counted.slice(0, -1).map(dataOf);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 3 } });
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('stop');
  });

  it('paces content chunks by delayMs', async () => {
    mock.setScenario([{ reply: 'abcdef', chunkSize: 2, delayMs: 40 }]);
    const started = performance.now();
    await (await post('/v1/chat/completions', openaiBody)).text();
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 40 - 5);
  });
});

describe('error answers', () => {
  it('Anthropic: error body, request-id, retry-after and rate-limit headers', async () => {
    const res = await post('/v1/messages', anthropicBody, fault('status:429:5'));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(res.headers.get('anthropic-ratelimit-requests-reset')).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    const requestId = res.headers.get('request-id');
    expect(await res.json()).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: expect.any(String) },
      request_id: requestId,
    });
  });

  it('Gemini: google.rpc status body with RetryInfo, and no retry-after header', async () => {
    const res = await post(geminiStream, geminiBody, fault('status:429:3'));
    expect(res.headers.get('retry-after')).toBeNull();
    expect(await res.json()).toEqual({
      error: {
        code: 429,
        message: expect.any(String),
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3s' }],
      },
    });
  });

  it('OpenAI: error object with retry-after and retry-after-ms', async () => {
    const res = await post('/v1/chat/completions', openaiBody, fault('status:503:1.5'));
    expect(res.status).toBe(503);
    expect([res.headers.get('retry-after'), res.headers.get('retry-after-ms')]).toEqual(['1.5', '1500']);
    expect(await res.json()).toEqual({
      error: { message: expect.any(String), type: 'server_error', param: null, code: 'service_unavailable' },
    });
  });

  it('answers bad requests in the protocol shape without using up a scenario entry', async () => {
    mock.setScenario([{ reply: 'first' }, { reply: 'second' }]);
    const missing = await post('/v1/messages', { model: 'claude-test', messages: [] });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: /max_tokens/ },
    });
    const badJson = await post('/v1/chat/completions', '{not json');
    expect(await badJson.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    const badFault = await post('/v1/chat/completions', openaiBody, fault('explode'));
    expect(((await badFault.json()) as { error: { message: string } }).error.message).toContain(
      'x-mock-fault',
    );
    const ok = await post('/v1/chat/completions', { ...openaiBody, stream: false });
    expect(await ok.json()).toMatchObject({ choices: [{ message: { content: 'first' } }] });
  });
});

describe('scenario-driven faults and non-streaming answers', () => {
  it('applies the fault of a scenario entry, then moves on to the next entry', async () => {
    mock.setScenario([{ reply: 'broken reply', chunkSize: 3, fault: 'eof', after: 2 }, { reply: 'fine' }]);
    const broken = events(await (await post('/v1/chat/completions', openaiBody)).text());
    expect(broken.map((e) => dataOf(e).choices[0].delta.content)).toEqual(['', 'bro', 'ken']);
    const fine = events(await (await post('/v1/chat/completions', openaiBody)).text());
    expect(fine.at(-1)).toBe('data: [DONE]');
  });

  it('breaks non-streaming answers too: reset, truncated body, overloaded status', async () => {
    const body = { ...anthropicBody, stream: false };
    expect((await caught(post('/v1/messages', body, fault('reset')))).message).toBe('fetch failed');
    const cut = await post('/v1/messages', body, fault('eof'));
    expect(cut.status).toBe(200);
    await expect(cut.json()).rejects.toThrow(SyntaxError);
    expect((await post('/v1/messages', body, fault('error-event'))).status).toBe(529);
    const whole = await (await post('/v1/messages', body)).json();
    expect(whole).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'Hello world!' }] });
  });

  it('answers Gemini streamGenerateContent without alt=sse as one JSON array', async () => {
    const res = await post('/v1beta/models/gemini-test:streamGenerateContent', geminiBody);
    const body = (await res.json()) as Array<{ candidates: Array<{ content: { parts: unknown[] } }> }>;
    expect(body[0]?.candidates[0]?.content.parts).toEqual([{ text: 'Hello world!' }]);
  });
});

describe('tool scripts on the request shapes agent CLIs send', () => {
  const reply = async (path: string, body: unknown) => {
    const res = await post(path, body);
    expect(res.status).toBe(200);
    return JSON.stringify(await res.json());
  };

  it('Claude Code: tool_result blocks beside a system-reminder text block, a system turn after them', async () => {
    mock.setScenario([
      { match: { lastUser: 'add CSV' }, reply: 'again from the top' },
      { match: { tool: 'Read', lastToolResult: 'formats = ["json"]', turn: 1 }, reply: 'step two' },
    ]);
    const body = {
      model: 'claude-test',
      max_tokens: 100,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Please add CSV export.' }] },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_01Abc', name: 'Read', input: { file_path: '/x' } }],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_01Abc',
              content: [{ type: 'text', text: '     1\texport const formats = ["json"];' }],
            },
            { type: 'text', text: '<system-reminder>Todo list is empty.</system-reminder>' },
          ],
        },
        { role: 'system', content: 'Reminder: be brief.' },
      ],
    };
    expect(await reply('/v1/messages?beta=true', body)).toContain('step two');
  });

  it('Codex: function_call and custom_tool_call items with their outputs, reasoning between', async () => {
    mock.setScenario([
      { match: { tool: 'apply_patch', lastToolResult: 'Success', turn: 1 }, reply: 'patched' },
    ]);
    const body = {
      model: 'gpt-test',
      instructions: 'You are Codex.',
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions>' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'add CSV export' }] },
        { type: 'reasoning', summary: [], encrypted_content: null },
        { type: 'function_call', call_id: 'call_a', name: 'shell', arguments: '{"command":["cat","x"]}' },
        { type: 'custom_tool_call', call_id: 'call_b', name: 'apply_patch', input: '*** Begin Patch' },
        { type: 'function_call_output', call_id: 'call_a', output: 'export const formats = ["json"];' },
        {
          type: 'custom_tool_call_output',
          call_id: 'call_b',
          output: 'Success. Updated the following files',
        },
      ],
    };
    expect(await reply('/v1/responses', body)).toContain('patched');
  });

  it('Gemini CLI: functionResponse parts whose response is {output}, matched on the raw output', async () => {
    mock.setScenario([
      { match: { tool: 'read_file', lastToolResult: 'line "1"\nline 2' }, reply: 'read it' },
    ]);
    const body = {
      contents: [
        { role: 'user', parts: [{ text: 'add CSV export' }] },
        { role: 'model', parts: [{ functionCall: { name: 'read_file', args: { absolute_path: '/x' } } }] },
        {
          role: 'user',
          parts: [
            {
              functionResponse: {
                id: 'read_file-1-abc',
                name: 'read_file',
                response: { output: 'line "1"\nline 2' },
              },
            },
          ],
        },
      ],
    };
    expect(await reply('/v1beta/models/gemini-test:generateContent', body)).toContain('read it');
  });

  it('OpenAI chat: a custom (freeform) tool call in the history names its tool message', async () => {
    mock.setScenario([{ match: { tool: 'apply_patch', turn: 1 }, reply: 'custom seen' }]);
    const body = {
      model: 'gpt-test',
      messages: [
        { role: 'user', content: 'add CSV export' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_c', type: 'custom', custom: { name: 'apply_patch', input: 'patch' } }],
        },
        { role: 'tool', tool_call_id: 'call_c', content: 'Success.' },
      ],
    };
    expect(await reply('/v1/chat/completions', body)).toContain('custom seen');
  });
});

describe('control endpoints', () => {
  it('records requests with credentials redacted, and resets over HTTP', async () => {
    await post('/v1/chat/completions', openaiBody, { authorization: 'Bearer sk-secret', 'x-trace': 't1' });
    const listed = (await (await fetch(`${mock.url}/_mock/requests`)).json()) as Array<
      Record<string, unknown>
    >;
    expect(listed).toEqual([
      {
        method: 'POST',
        path: '/v1/chat/completions',
        headers: expect.objectContaining({ authorization: '***', 'x-trace': 't1' }),
        body: openaiBody,
        protocol: 'openai',
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain('sk-secret');
    await fetch(`${mock.url}/_mock/reset`, { method: 'POST' });
    expect(mock.requests()).toEqual([]);
  });

  it('replaces the scenario over HTTP and names the bad entry when it is invalid', async () => {
    const set = await post('/_mock/scenario', [{ reply: 'from http' }]);
    expect(set.status).toBe(200);
    const answer = await (await post('/v1/chat/completions', { ...openaiBody, stream: false })).json();
    expect(answer).toMatchObject({ choices: [{ message: { content: 'from http' } }] });
    const bad = await post('/_mock/scenario', [{ reply: 'ok' }, { fault: 'sometimes' }]);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain(
      'entry 1, field "fault"',
    );
  });

  it('lists models in the OpenAI or Anthropic shape, and 404s unknown routes', async () => {
    const openaiList = await (await fetch(`${mock.url}/v1/models`)).json();
    expect(openaiList).toMatchObject({ object: 'list', data: [{ id: 'mock-model', object: 'model' }] });
    const anthropicList = await (
      await fetch(`${mock.url}/v1/models`, { headers: { 'anthropic-version': 'x' } })
    ).json();
    expect(anthropicList).toMatchObject({ data: [{ type: 'model', id: 'mock-model' }], has_more: false });
    expect((await post('/v2/nothing', {})).status).toBe(404);
  });

  it('answers with the default reply when there is no scenario', async () => {
    mock.setScenario([]);
    const answer = await (await post('/v1/chat/completions', { ...openaiBody, stream: false })).json();
    expect(answer).toMatchObject({ choices: [{ message: { content: 'mock reply' } }] });
  });
});

describe('close', () => {
  it('cuts a stalled stream instead of waiting for it', async () => {
    const own = await startMockLlm({ scenario: [{ reply: 'never finished', fault: 'stall', after: 1 }] });
    const res = await fetch(`${own.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify(openaiBody),
    });
    const reader = res.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('"role":"assistant"');
    await own.close();
    await expect(
      (async () => {
        for (;;) if ((await reader?.read())?.done) return;
      })(),
    ).rejects.toThrow('terminated');
  });
});
