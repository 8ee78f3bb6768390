import { describe, expect, it } from 'vitest';
import type { AgentSessionEntry } from '../../api/agent-session-types.ts';
import { emptyTranscript, foldEntries, oneLineArgs } from './agent-transcript.ts';

let nextId = 0;
const entry = (kind: string, data: Record<string, unknown>, run = 1, fullUrl: string | null = null) =>
  ({
    id: ++nextId,
    seq: nextId,
    run,
    kind,
    data,
    fullUrl,
    createdAt: '2026-04-01T10:00:00.000Z',
  }) as AgentSessionEntry;

describe('foldEntries', () => {
  it('pairs each tool result with its call by id, even when calls interleave', () => {
    const entries = [
      entry('message', { type: 'message', role: 'user', text: 'Add CSV export\n\nto recipes' }),
      entry('tool-call', { type: 'tool-call', id: 'a', name: 'read_file', args: { path: 'x.js' } }),
      entry('tool-call', { type: 'tool-call', id: 'b', name: 'write_file', args: { path: 'y.js' } }),
      entry('tool-result', { type: 'tool-result', id: 'b', name: 'write_file', output: 'Created y.js' }),
      entry('tool-result', {
        type: 'tool-result',
        id: 'a',
        name: 'read_file',
        output: 'nope',
        isError: true,
      }),
    ];
    const t = foldEntries(emptyTranscript(), entries);
    expect(t.items.map((i) => i.type)).toEqual(['message', 'tool', 'tool']);
    expect(t.items[0]).toMatchObject({ role: 'user', text: 'Add CSV export\n\nto recipes' });
    expect(t.items[1]).toMatchObject({ name: 'read_file', result: { output: 'nope', isError: true } });
    expect(t.items[2]).toMatchObject({
      name: 'write_file',
      result: { output: 'Created y.js', isError: false },
    });
  });

  it('skips entries it already has, so a replay after reconnecting adds nothing twice', () => {
    const first = [entry('message', { type: 'message', role: 'assistant', text: 'hi' })];
    const once = foldEntries(emptyTranscript(), first);
    const more = entry('command', { type: 'command', command: 'npm test', exitCode: 1, output: 'fail' });
    const twice = foldEntries(once, [...first, more]);
    expect(twice.items).toHaveLength(2);
    expect(twice.items[1]).toMatchObject({ type: 'command', exitCode: 1, output: 'fail' });
    expect(twice.lastEventId).toBe(more.id);
    expect(foldEntries(twice, [more])).toBe(twice);
  });

  it("shows setup commands as Orchard's, and how setup went", () => {
    const t = foldEntries(emptyTranscript(), [
      entry('command', { type: 'command', command: 'npm ci', exitCode: 0, output: 'added 3', setup: true }),
      entry('status', {
        type: 'setup',
        outcome: 'ran',
        key: 'abcdef012345',
        commands: 1,
        durationMs: 900,
        cached: true,
      }),
      entry(
        'status',
        { type: 'setup', outcome: 'restored', key: 'abcdef012345', commands: 1, durationMs: 40 },
        2,
      ),
      entry('command', { type: 'command', command: 'npm test', exitCode: 0, output: 'ok' }, 2),
    ]);
    expect(t.items.map((i) => i.type)).toEqual(['command', 'setup', 'setup', 'command']);
    expect(t.items[0]).toMatchObject({ command: 'npm ci', setup: true });
    expect(t.items[1]).toMatchObject({ outcome: 'ran', setupKey: 'abcdef012345', commands: 1, cached: true });
    expect(t.items[2]).toMatchObject({ outcome: 'restored', run: 2, cached: null });
    expect(t.items[3]).toMatchObject({ command: 'npm test', setup: false });
  });

  it('groups consecutive file edits of a run, and notes how each run ended', () => {
    const t = foldEntries(emptyTranscript(), [
      entry('file', { type: 'file', path: 'a.js', action: 'write', bytes: 10 }),
      entry('file', { type: 'file', path: 'b.js', action: 'delete' }),
      entry('usage', { type: 'usage', steps: 2, inputTokens: 10, outputTokens: 5, costUsd: 0 }),
      entry('status', { type: 'result', summary: 'Done.' }),
      entry('status', { type: 'delivered', sha: 'abc', mergeRequestNumber: 3, files: 2 }),
      entry('message', { type: 'message', role: 'user', text: 'again' }, 2),
      entry('file', { type: 'file', path: 'c.js', action: 'write' }, 2),
    ]);
    expect(t.items.map((i) => i.type)).toEqual(['files', 'result', 'delivered', 'message', 'files']);
    expect(t.items[0]).toMatchObject({
      files: [
        { path: 'a.js', bytes: 10 },
        { path: 'b.js', action: 'delete' },
      ],
    });
    expect(t.items[2]).toMatchObject({ sha: 'abc', mergeRequestNumber: 3, files: 2 });
    expect(t.run).toBe(2);
  });

  it('keeps the address of the whole entry when its data was cut', () => {
    const t = foldEntries(emptyTranscript(), [
      entry('tool-call', { type: 'tool-call', id: 'a', name: 'run', args: {} }),
      entry(
        'tool-result',
        { type: 'tool-result', id: 'a', name: 'run', output: 'long… [9 more characters]', truncated: true },
        1,
        '/api/agent-sessions/s/entries/2/full',
      ),
    ]);
    expect(t.items[0]).toMatchObject({
      fullUrl: null,
      result: { fullUrl: '/api/agent-sessions/s/entries/2/full' },
    });
  });
});

describe('oneLineArgs', () => {
  it('puts arguments on one short line', () => {
    expect(oneLineArgs({ path: 'src/a.js', content: 'line one\nline two' })).toBe(
      'path: src/a.js, content: line one line two',
    );
    expect(oneLineArgs({ content: 'x'.repeat(500) }).length).toBeLessThanOrEqual(140);
    expect(oneLineArgs(undefined)).toBe('');
  });
});
