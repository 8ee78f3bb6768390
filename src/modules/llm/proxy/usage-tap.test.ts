import { describe, expect, it } from 'vitest';
import { anthropicDialect } from './anthropic-dialect.ts';
import { geminiDialect } from './gemini-dialect.ts';
import { openaiChatDialect, openaiResponsesDialect } from './openai-dialect.ts';
import { UsageTap } from './usage-tap.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
/** Feeds `text` in pieces of `size` bytes, as a network would cut it. */
function feed(tap: UsageTap, text: string, size: number) {
  const all = bytes(text);
  for (let i = 0; i < all.length; i += size) tap.push(all.subarray(i, i + size));
  return tap.finish();
}
const event = (name: string, data: unknown) => `event: ${name}\r\ndata: ${JSON.stringify(data)}\r\n\r\n`;

describe('UsageTap', () => {
  const anthropicStream =
    event('message_start', {
      type: 'message_start',
      message: {
        usage: {
          input_tokens: 10,
          cache_read_input_tokens: 100,
          cache_creation_input_tokens: 5,
          output_tokens: 1,
        },
      },
    }) +
    event('content_block_delta', { type: 'content_block_delta', delta: { text: 'héllo – “usage”' } }) +
    ': a comment line\n\n' +
    event('message_delta', { type: 'message_delta', usage: { output_tokens: 42 } });

  it('reads Anthropic usage from message_start and message_delta, however the bytes are cut; cache reads and writes count as input', () => {
    for (const size of [1, 3, 7, 64, 10_000]) {
      expect(feed(new UsageTap(anthropicDialect, 'text/event-stream'), anthropicStream, size)).toEqual({
        inputTokens: 115,
        cachedInputTokens: 100,
        outputTokens: 42,
      });
    }
  });

  it('reads the OpenAI usage chunk, skipping the usage: null ones', () => {
    const stream =
      `data: ${JSON.stringify({ choices: [{ delta: { content: 'x' } }], usage: null })}\n\n` +
      `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 4 } } })}\n\n` +
      'data: [DONE]\n\n';
    expect(feed(new UsageTap(openaiChatDialect, 'text/event-stream; charset=utf-8'), stream, 5)).toEqual({
      inputTokens: 12,
      outputTokens: 3,
      cachedInputTokens: 4,
    });
  });

  it('reads Responses usage from response.completed, named or not', () => {
    const completed = {
      type: 'response.completed',
      response: { usage: { input_tokens: 20, output_tokens: 8, input_tokens_details: { cached_tokens: 2 } } },
    };
    const expected = { inputTokens: 20, outputTokens: 8, cachedInputTokens: 2 };
    const tap = () => new UsageTap(openaiResponsesDialect, 'text/event-stream');
    expect(feed(tap(), event('response.completed', completed), 9)).toEqual(expected);
    expect(feed(tap(), `data: ${JSON.stringify(completed)}\n\n`, 9)).toEqual(expected);
    // A whole (unstreamed) response is the response object itself.
    const whole = new UsageTap(openaiResponsesDialect, 'application/json');
    expect(feed(whole, JSON.stringify(completed.response), 4)).toEqual(expected);
  });

  it('takes the last Gemini usageMetadata, counting thoughts as output, from SSE and from a streamed JSON array', () => {
    const chunks = [
      { usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 2 } },
      {
        usageMetadata: {
          promptTokenCount: 9,
          candidatesTokenCount: 5,
          thoughtsTokenCount: 30,
          cachedContentTokenCount: 3,
        },
      },
    ];
    const expected = { inputTokens: 9, outputTokens: 35, cachedInputTokens: 3 };
    const sse = chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('');
    expect(feed(new UsageTap(geminiDialect, 'text/event-stream'), sse, 11)).toEqual(expected);
    expect(feed(new UsageTap(geminiDialect, 'application/json'), JSON.stringify(chunks), 11)).toEqual(
      expected,
    );
  });

  it('reports nothing for a body without usage, a malformed event or a cut JSON answer', () => {
    expect(
      feed(
        new UsageTap(anthropicDialect, 'text/event-stream'),
        'event: message_start\ndata: {"type":\n\n',
        4,
      ),
    ).toBeUndefined();
    expect(
      feed(new UsageTap(anthropicDialect, 'application/json'), '{"usage":{"input_tok', 4),
    ).toBeUndefined();
    expect(
      feed(new UsageTap(anthropicDialect, 'text/event-stream'), event('ping', { type: 'ping' }), 4),
    ).toBeUndefined();
  });
});
