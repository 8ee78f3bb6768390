import { describe, expect, it } from 'vitest';
import { estimateTokens, readConversation, type Turn, toolResultText } from './conversation.ts';

describe('readConversation', () => {
  it('collects the prompt text with the system text first', () => {
    const facts = readConversation('Be brief.', [{ role: 'user', text: 'Hi' }], true);
    expect(facts).toMatchObject({ promptText: 'Be brief.\nHi', prefill: null, continueFrom: null });
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

  it('reads the latest turn: its own text apart from its tool results, each named by the call it answers', () => {
    const turns: Turn[] = [
      { role: 'user', text: 'add CSV export' },
      { role: 'assistant', text: 'Reading.', toolCalls: [{ id: 't1', name: 'read_file' }] },
      // OpenAI sends one `tool` message per result, and an agent may add words of its own.
      { role: 'user', text: '', toolResults: [{ callId: 't1', text: 'export const a = 1;' }] },
      { role: 'user', text: '', toolResults: [{ callId: 'unknown', text: 'orphan' }] },
      { role: 'user', text: '<reminder>', toolResults: [{ tool: 'grep', text: 'no matches' }] },
    ];
    const facts = readConversation('sys', turns, true);
    expect(facts.lastUserText).toBe('<reminder>');
    expect(facts.lastToolResults).toEqual([
      { tool: 'read_file', text: 'export const a = 1;' },
      { tool: null, text: 'orphan' },
      { tool: 'grep', text: 'no matches' },
    ]);
    expect(facts.assistantTurns).toBe(1);
    // The prompt text still holds everything, tool results included.
    expect(facts.promptText).toContain('export const a = 1;');
    expect(facts.promptText).toContain('add CSV export');
  });

  it('counts an answer split over several assistant messages as one turn, and has no latest user turn after it', () => {
    const turns: Turn[] = [
      { role: 'user', text: 'hi' },
      { role: 'assistant', text: 'Let me look.' },
      { role: 'assistant', text: '', toolCalls: [{ id: 'c1', name: 'ls' }] },
      { role: 'user', text: '', toolResults: [{ callId: 'c1', text: 'a.ts' }] },
      { role: 'assistant', text: 'Done.' },
    ];
    const facts = readConversation('', turns, false);
    expect(facts.assistantTurns).toBe(2);
    expect(facts.lastUserText).toBe('');
    expect(facts.lastToolResults).toEqual([]);
    expect(readConversation('', turns.slice(0, 1), false).assistantTurns).toBe(0);
  });

  it('estimates tokens as about four characters each', () => {
    expect([estimateTokens(''), estimateTokens('abcd'), estimateTokens('abcde')]).toEqual([1, 1, 2]);
  });
});

describe('toolResultText', () => {
  it('reads a string, the text of content blocks, and an object as its string values then its JSON', () => {
    expect(toolResultText('edited')).toBe('edited');
    expect(
      toolResultText([{ type: 'text', text: 'a' }, { type: 'image' }, { type: 'input_text', text: 'b' }]),
    ).toBe('a\nb');
    expect(toolResultText({ output: 'line "1"\nline 2' })).toBe(
      'line "1"\nline 2\n{"output":"line \\"1\\"\\nline 2"}',
    );
    expect(toolResultText(null)).toBe('');
  });
});
