import { describe, expect, it } from 'vitest';
import { estimateTokens, readConversation } from './conversation.ts';
import { buildReply, chunkText, type LlmRequest } from './reply.ts';
import { parseScenario } from './scenario.ts';

const request = (over: Partial<LlmRequest> = {}): LlmRequest => ({
  model: 'm',
  stream: true,
  includeUsage: true,
  promptText: 'hi',
  promptTokens: 1,
  prefill: null,
  continueFrom: null,
  jsonTool: null,
  ...over,
});
const entry = (raw: unknown) => parseScenario([raw])[0] ?? null;

describe('buildReply', () => {
  it('answers "mock reply" with no entry, and for a fault-only entry', () => {
    expect(buildReply(null, request(), null, 'id').text).toBe('mock reply');
    const faulty = buildReply(entry({ fault: 'reset', after: 1 }), request(), null, 'id');
    expect(faulty).toMatchObject({ text: 'mock reply', fault: { kind: 'reset', after: 1 } });
  });

  it('serializes json as the reply text, or as the input of a forced tool', () => {
    const json = entry({ json: { ok: true } });
    expect(buildReply(json, request(), null, 'id')).toMatchObject({ text: '{"ok":true}', toolCall: null });
    const viaTool = buildReply(json, request({ jsonTool: 'json' }), null, 'toolu_1');
    expect(viaTool).toMatchObject({
      text: null,
      toolCall: { id: 'toolu_1', name: 'json', argsJson: '{"ok":true}' },
    });
  });

  it('continues after a prefill or a continue-turn partial only when the script starts with it', () => {
    const script = entry({ reply: 'Hello brave new world' });
    expect(buildReply(script, request({ prefill: 'Hello brave' }), null, 'id').text).toBe(' new world');
    expect(buildReply(script, request({ continueFrom: 'Hello' }), null, 'id').text).toBe(' brave new world');
    expect(buildReply(script, request({ prefill: 'Goodbye' }), null, 'id').text).toBe(
      'Hello brave new world',
    );
  });

  it('lets the header fault override the entry fault', () => {
    const script = entry({ reply: 'x', fault: 'eof', after: 1 });
    expect(buildReply(script, request(), { kind: 'stall', after: 0 }, 'id').fault).toEqual({
      kind: 'stall',
      after: 0,
    });
  });
});

describe('chunkText', () => {
  it('splits by characters without cutting surrogate pairs', () => {
    expect(chunkText('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(chunkText('a😀b😀', 2)).toEqual(['a😀', 'b😀']);
    expect(chunkText('', 3)).toEqual([]);
  });
});

describe('readConversation', () => {
  it('collects the prompt text with the system text first', () => {
    const facts = readConversation('Be brief.', [{ role: 'user', text: 'Hi' }], true);
    expect(facts).toEqual({ promptText: 'Be brief.\nHi', prefill: null, continueFrom: null });
  });

  it('treats a trailing assistant turn as prefill only where the protocol allows it', () => {
    const turns = [
      { role: 'user' as const, text: 'Hi' },
      { role: 'assistant' as const, text: 'Hel' },
    ];
    expect(readConversation('', turns, true).prefill).toBe('Hel');
    expect(readConversation('', turns, false).prefill).toBeNull();
  });

  it('continues the latest assistant text only when the last user turn says "continue"', () => {
    const turns = (ask: string) => [
      { role: 'user' as const, text: 'Hi' },
      { role: 'assistant' as const, text: 'Hel' },
      { role: 'user' as const, text: ask },
    ];
    expect(readConversation('', turns('Please continue.'), true).continueFrom).toBe('Hel');
    expect(readConversation('', turns('Thanks!'), true).continueFrom).toBeNull();
  });

  it('estimates tokens as about four characters each', () => {
    expect([estimateTokens(''), estimateTokens('abcd'), estimateTokens('abcde')]).toEqual([1, 1, 2]);
  });
});
