import { PassThrough, type Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { anthropicDialect } from './anthropic-dialect.ts';
import { readWholeAnswer } from './read-whole-answer.ts';
import { type RelayEnd, relayBody } from './relay-body.ts';
import { UsageTap } from './usage-tap.ts';

const ANSWER = JSON.stringify({
  id: 'msg_1',
  content: [{ type: 'text', text: 'x'.repeat(200) }],
  usage: { input_tokens: 12, output_tokens: 34 },
});

/** The provider's body as the network hands it over: pieces of `size` bytes, then the end. */
function provider(text: string, size: number, options: { breakAfter?: number } = {}) {
  const body = new PassThrough();
  const bytes = Buffer.from(text);
  setImmediate(() => {
    for (let i = 0, n = 0; i < bytes.length; i += size, n++) {
      if (n === options.breakAfter) return void body.destroy(new Error('socket hang up'));
      body.write(bytes.subarray(i, i + size));
    }
    body.end();
  });
  return body;
}

function relayOf(body: Readable, more: { head?: Buffer[]; signal?: AbortSignal } = {}) {
  const ends: RelayEnd[] = [];
  let cancelled = 0;
  let clock = 0;
  const write = relayBody(body, new UsageTap(anthropicDialect, 'application/json'), {
    t0: 0,
    now: () => ++clock,
    signal: more.signal ?? new AbortController().signal,
    cancel: () => cancelled++,
    onEnd: (end) => ends.push(end),
    ...(more.head ? { head: more.head, ttftMs: 0.5 } : {}),
  });
  // The client's response, here a stream the test reads.
  const relay = new PassThrough();
  write(relay);
  return { relay, ends, cancelled: () => cancelled };
}

async function read(stream: Readable) {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('relaying a provider body', () => {
  it('passes every byte on and books the usage once, when the body ends', async () => {
    const { relay, ends, cancelled } = relayOf(provider(ANSWER, 7));
    expect(await read(relay)).toBe(ANSWER);
    expect(ends).toEqual([
      { outcome: 'ok', ttftMs: 1, usage: { inputTokens: 12, outputTokens: 34, cachedInputTokens: 0 } },
    ]);
    expect(cancelled()).toBe(0);
  });

  it('reads a small whole answer whole; a larger one streams on after what was read, nothing lost', async () => {
    const small = await readWholeAnswer(provider(ANSWER, 50), { limit: 1_000, t0: 0, now: () => 3 });
    expect(small).toEqual({ kind: 'whole', bytes: Buffer.from(ANSWER), ttftMs: 3 });

    const body = provider(ANSWER, 50);
    const large = await readWholeAnswer(body, { limit: 60, t0: 0, now: () => 3 });
    expect(large.kind).toBe('large');
    if (large.kind !== 'large') return;
    expect(Buffer.concat(large.head).length).toBe(100);
    const { relay, ends } = relayOf(body, { head: large.head });
    expect(await read(relay)).toBe(ANSWER);
    expect(ends).toEqual([
      { outcome: 'ok', ttftMs: 0.5, usage: { inputTokens: 12, outputTokens: 34, cachedInputTokens: 0 } },
    ]);
  });

  it('says error when the provider body breaks, and the client sees it break too', async () => {
    const { relay, ends } = relayOf(provider(ANSWER, 20, { breakAfter: 3 }));
    await expect(read(relay)).rejects.toThrow('socket hang up');
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ outcome: 'error', ttftMs: 1, error: new Error('socket hang up') });

    const whole = await readWholeAnswer(provider(ANSWER, 20, { breakAfter: 3 }), {
      limit: 1_000,
      t0: 0,
      now: () => 1,
    });
    expect(whole).toMatchObject({ kind: 'broken', error: new Error('socket hang up') });
  });

  it('says aborted and drops the upstream exchange when the reader goes away first', async () => {
    const body = new PassThrough();
    const leave = new AbortController();
    const { relay, ends, cancelled } = relayOf(body, { signal: leave.signal });
    body.write('{"id":');
    await new Promise((resolve) => relay.once('data', resolve));
    leave.abort();
    relay.destroy();
    await new Promise((resolve) => relay.once('close', resolve));
    expect(ends).toMatchObject([{ outcome: 'aborted', ttftMs: 1 }]);
    expect(cancelled()).toBe(1);
  });
});
