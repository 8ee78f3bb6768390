import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayOnMock, startGatewayOnMock } from '../gateway-on-mock.test-support.ts';
import { CONTINUE_PROMPT, ResumeFilter } from './resume.ts';
import type { LlmEvent } from './types.ts';

const TEXT = 'The quick brown fox jumps over the lazy dog, then naps under the old oak tree.';

let g: GatewayOnMock;
beforeAll(async () => {
  g = await startGatewayOnMock();
});
afterAll(async () => g?.close());
beforeEach(() => {
  g.mock.reset();
  g.sleeps.length = 0;
});

async function run(model: string, tools = false) {
  const events: LlmEvent[] = [];
  const stream = g.gateway.stream({
    model,
    messages: [{ role: 'user', content: 'What is the weather?' }],
    ...(tools
      ? {
          tools: {
            weather: {
              description: 'Weather for a city',
              inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
            },
          },
        }
      : {}),
  });
  for await (const event of stream) events.push(event);
  const deltas = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : []));
  return { events, deltas, text: deltas.join('') };
}

type Body = {
  messages?: Array<{ role: string; content: unknown }>;
  contents?: Array<{ role: string; parts: Array<{ text?: string }> }>;
} & Record<string, unknown>;
const body = (i: number) => g.mock.requests()[i]?.body as Body;
const lastMessage = (b: Body) => b.messages?.at(-1) ?? b.contents?.at(-1);

describe('mid-stream continuation', () => {
  it('prefill: resumes from the trimmed partial text and drops the whitespace it already delivered', async () => {
    // Two chunks of 8 end in a space: "The quick brown ".
    g.mock.setScenario([
      { reply: TEXT, chunkSize: 8, fault: 'reset', after: 2 },
      { reply: TEXT, chunkSize: 8 },
    ]);
    const { text, deltas } = await run('anthropic/claude-sonnet-4-5');
    expect(text).toBe(TEXT);
    expect(deltas.slice(0, 2)).toEqual(['The quic', 'k brown ']);
    const prefill = lastMessage(body(1));
    expect(prefill).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'The quick brown' }] });
  });

  it('prefill on Gemini continues a trailing model turn', async () => {
    g.mock.setScenario([
      { reply: TEXT, chunkSize: 5, fault: 'eof', after: 4 },
      { reply: TEXT, chunkSize: 5 },
    ]);
    const { text } = await run('gemini/gemini-2.5-flash');
    expect(text).toBe(TEXT);
    expect(lastMessage(body(1))).toEqual({ role: 'model', parts: [{ text: TEXT.slice(0, 20).trimEnd() }] });
  });

  it('continue turn: a model without prefill gets the partial text and a request to continue', async () => {
    g.mock.setScenario([
      { reply: TEXT, chunkSize: 8, fault: 'reset', after: 3 },
      { reply: TEXT, chunkSize: 8 },
    ]);
    const { text } = await run('openai/gpt-mock');
    expect(text).toBe(TEXT);
    const messages = body(1).messages!;
    expect(messages.slice(-2)).toEqual([
      { role: 'assistant', content: TEXT.slice(0, 24) },
      { role: 'user', content: CONTINUE_PROMPT },
    ]);
  });

  it('a model that refuses prefill (400) is resumed with a continue turn, and remembered', async () => {
    g.mock.setScenario([
      { reply: TEXT, chunkSize: 8, fault: 'reset', after: 3 },
      { reply: TEXT, chunkSize: 8 },
    ]);
    const { text } = await run('anthropic/claude-no-prefill-4-6');
    expect(text).toBe(TEXT);
    const paths = g.mock.requests().map((r) => lastMessage(r.body as Body)?.role);
    expect(paths).toEqual(['user', 'assistant', 'user']);
    expect(g.sleeps).toEqual([]);

    g.mock.reset();
    g.mock.setScenario([
      { reply: TEXT, chunkSize: 8, fault: 'reset', after: 3 },
      { reply: TEXT, chunkSize: 8 },
    ]);
    expect((await run('anthropic/claude-no-prefill-4-6')).text).toBe(TEXT);
    expect(g.mock.requests()).toHaveLength(2);
  });

  it('an OpenAI-compatible model flagged for prefill is continued with continue_final_message (vLLM)', async () => {
    g.mock.setScenario([
      { reply: TEXT, chunkSize: 8, fault: 'eof', after: 3 },
      { reply: TEXT, chunkSize: 8 },
    ]);
    const { text } = await run('openai/vllm-mock');
    expect(text).toBe(TEXT);
    expect(body(1)).toMatchObject({ continue_final_message: true, add_generation_prompt: false });
    expect(lastMessage(body(1))).toEqual({ role: 'assistant', content: TEXT.slice(0, 24) });
  });

  it('survives breaks in a row: resumes at once the first time, then backs off', async () => {
    g.mock.setScenario([
      { reply: TEXT, chunkSize: 6, fault: 'reset', after: 2 },
      { reply: TEXT, chunkSize: 6, fault: 'malformed', after: 2 },
      { reply: TEXT, chunkSize: 6 },
    ]);
    const { text, events } = await run('anthropic/claude-sonnet-4-5');
    expect(text).toBe(TEXT);
    expect(events.at(-1)).toMatchObject({ type: 'finish', attempts: 3 });
    expect(g.sleeps).toEqual([500]);
  });

  it.each(['anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash', 'openai/gpt-mock'])(
    'a tool call cut off mid-arguments is re-requested and reaches the caller once (%s)',
    async (model) => {
      const call = { name: 'weather', args: { city: 'Paris', unit: 'celsius' } };
      g.mock.setScenario([
        { reply: 'Let me check.', toolCall: call, chunkSize: 4, fault: 'reset', after: 6 },
        { reply: 'Let me check.', toolCall: call, chunkSize: 4 },
      ]);
      const { text, events } = await run(model, true);
      expect(text).toBe('Let me check.');
      const calls = events.filter((e) => e.type === 'tool-call');
      expect(calls).toEqual([
        expect.objectContaining({ type: 'tool-call', name: 'weather', args: call.args }),
      ]);
      expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'tool-calls', attempts: 2 });
    },
  );
});

describe('ResumeFilter', () => {
  const feed = (filter: ResumeFilter, chunks: string[]) =>
    chunks.map((c) => filter.push(c)).join('') + filter.end();

  it('removes a repeated passage when the model restarts part of its answer', () => {
    const filter = new ResumeFilter('The quick brown fox jumps over', 'continue');
    expect(feed(filter, ['brown fox ', 'jumps over the', ' lazy dog.'])).toBe(' the lazy dog.');
  });

  it('keeps a continuation that only happens to start like earlier text', () => {
    const filter = new ResumeFilter('Take the fox and the quick brown ', 'continue');
    expect(feed(filter, ['fox', ' jumps'])).toBe('fox jumps');
    expect(feed(new ResumeFilter('I read a bo', 'continue'), ['ok.'])).toBe('ok.');
  });

  it('drops the trimmed whitespace of a prefill only when the model sends it back', () => {
    expect(feed(new ResumeFilter('Hello there, ', 'prefill'), [' wor', 'ld'])).toBe('world');
    expect(feed(new ResumeFilter('Hello there, ', 'prefill'), ['world'])).toBe('world');
  });
});
