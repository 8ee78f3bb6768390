import { describe, expect, it } from 'vitest';
import { mapRecording, RECORDED_WORKSPACE } from './cli-test-kit.test-support.ts';
import { createCodexMapper } from './codex-events.ts';

const mapper = (onUnknown?: (event: Record<string, unknown>) => void) =>
  createCodexMapper({ workspace: RECORDED_WORKSPACE, onUnknown });

describe('Codex exec --json → AgentEvents (recorded from Codex 0.171.0)', () => {
  it('maps a run that applies a patch and runs a failing command', async () => {
    const { events, summary, failure } = await mapRecording('codex.jsonl', mapper());
    expect(events).toEqual([
      {
        type: 'log',
        line: expect.stringContaining('Model metadata for `gpt-5.1-codex` not found'),
        stream: 'stderr',
      },
      { type: 'usage', steps: 1, inputTokens: 0, outputTokens: 0, costUsd: 0 },
      {
        type: 'tool-call',
        id: 'item_1',
        name: 'apply_patch',
        args: { changes: [{ path: `${RECORDED_WORKSPACE}/hello.txt`, kind: 'add' }] },
      },
      {
        type: 'tool-result',
        id: 'item_1',
        name: 'apply_patch',
        output: `applied: add ${RECORDED_WORKSPACE}/hello.txt`,
      },
      { type: 'file', path: 'hello.txt', action: 'write' },
      { type: 'usage', steps: 2, inputTokens: 0, outputTokens: 0, costUsd: 0 },
      {
        type: 'tool-call',
        id: 'item_2',
        name: 'shell',
        args: { command: expect.stringContaining('allSettled') },
      },
      { type: 'tool-result', id: 'item_2', name: 'shell', output: 'rejected rejected ***\n', isError: true },
      {
        type: 'command',
        command: expect.stringContaining('allSettled'),
        exitCode: 3,
        output: 'rejected rejected ***\n',
      },
      { type: 'usage', steps: 3, inputTokens: 0, outputTokens: 0, costUsd: 0 },
      { type: 'message', role: 'assistant', text: 'Done: hello.txt greets the world.' },
      {
        type: 'usage',
        steps: 3,
        inputTokens: expect.any(Number),
        outputTokens: expect.any(Number),
        costUsd: 0,
      },
    ]);
    expect(events.at(-1)).toMatchObject({ inputTokens: expect.toSatisfy((n: number) => n > 0) });
    expect(summary).toBe('Done: hello.txt greets the world.');
    expect(failure).toBeUndefined();
  });

  it("fails with the API's own message when the turn fails", async () => {
    const { events, failure } = await mapRecording('codex-api-error.jsonl', mapper());
    expect(events).toContainEqual({ type: 'log', line: 'Codex: Invalid request.', stream: 'stderr' });
    expect(failure).toBe('Codex failed: Invalid request.');
  });

  it('ignores unknown events and items, and says so to the debug log', () => {
    const unknown: unknown[] = [];
    const m = mapper((event) => unknown.push(event));
    expect(m.map({ type: 'session.configured' })).toEqual([]);
    expect(m.map({ type: 'item.completed', item: { id: 'i9', type: 'hologram' } })).toEqual([]);
    expect(m.map({ type: 'item.completed', item: { id: 'i8', type: 'reasoning', text: '…' } })).toEqual([]);
    expect(m.map({ type: 'item.completed' })).toEqual([]);
    expect(unknown).toHaveLength(2);
  });

  it('reports a deleted file as a delete, and a failed patch as no file at all', () => {
    const m = mapper();
    const deleted = m.map({
      type: 'item.completed',
      item: {
        id: 'a',
        type: 'file_change',
        status: 'completed',
        changes: [{ path: 'old.txt', kind: 'delete' }],
      },
    });
    expect(deleted).toContainEqual({ type: 'file', path: 'old.txt', action: 'delete' });
    const failed = m.map({
      type: 'item.completed',
      item: { id: 'b', type: 'file_change', status: 'failed', changes: [{ path: 'x.txt', kind: 'add' }] },
    });
    expect(failed.filter((e) => e.type === 'file')).toEqual([]);
    expect(failed).toContainEqual(expect.objectContaining({ type: 'tool-result', isError: true }));
  });
});
