import { describe, expect, it } from 'vitest';
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
  lastUserText: 'hi',
  lastToolResults: [],
  assistantTurns: 0,
  jsonTool: null,
  ...over,
});
const entry = (raw: unknown) => parseScenario([raw])[0] ?? null;
const id = (index: number) => `call_${index}`;

describe('buildReply', () => {
  it('answers "mock reply" with no entry, and for a fault-only entry', () => {
    expect(buildReply(null, request(), null, id).text).toBe('mock reply');
    const faulty = buildReply(entry({ fault: 'reset', after: 1 }), request(), null, id);
    expect(faulty).toMatchObject({ text: 'mock reply', fault: { kind: 'reset', after: 1 } });
  });

  it('serializes json as the reply text, or as the input of a forced tool', () => {
    const json = entry({ json: { ok: true } });
    expect(buildReply(json, request(), null, id)).toMatchObject({ text: '{"ok":true}', toolCalls: [] });
    const viaTool = buildReply(json, request({ jsonTool: 'json' }), null, id);
    expect(viaTool).toMatchObject({
      text: null,
      toolCalls: [{ id: 'call_0', name: 'json', argsJson: '{"ok":true}' }],
    });
  });

  it('continues after a prefill or a continue-turn partial only when the script starts with it', () => {
    const script = entry({ reply: 'Hello brave new world' });
    expect(buildReply(script, request({ prefill: 'Hello brave' }), null, id).text).toBe(' new world');
    expect(buildReply(script, request({ continueFrom: 'Hello' }), null, id).text).toBe(' brave new world');
    expect(buildReply(script, request({ prefill: 'Goodbye' }), null, id).text).toBe('Hello brave new world');
  });

  it('gives each of several tool calls its own id, in order, and counts all their arguments', () => {
    const calls = entry({
      toolCalls: [
        { name: 'read_file', args: { path: 'a.ts' } },
        { name: 'read_file', args: { path: 'b.ts' } },
      ],
    });
    const reply = buildReply(calls, request(), null, id);
    expect(reply.text).toBeNull();
    expect(reply.toolCalls.map((c) => [c.id, c.argsJson])).toEqual([
      ['call_0', '{"path":"a.ts"}'],
      ['call_1', '{"path":"b.ts"}'],
    ]);
    expect(reply.outputTokens).toBe(Math.ceil(('{"path":"a.ts"}'.length * 2) / 4));
    const one = buildReply(entry({ toolCall: { name: 'build' } }), request(), null, id);
    expect(one.toolCalls).toEqual([{ id: 'call_0', name: 'build', args: {}, argsJson: '{}' }]);
  });

  it('lets the header fault override the entry fault', () => {
    const script = entry({ reply: 'x', fault: 'eof', after: 1 });
    expect(buildReply(script, request(), { kind: 'stall', after: 0 }, id).fault).toEqual({
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
