import { describe, expect, it } from 'vitest';
import { createClaudeCodeMapper } from './claude-code-events.ts';
import { mapRecording, RECORDED_WORKSPACE } from './cli-test-kit.test-support.ts';

const mapper = (onUnknown?: (event: Record<string, unknown>) => void) =>
  createClaudeCodeMapper({ workspace: RECORDED_WORKSPACE, onUnknown });

describe('Claude Code stream-json → AgentEvents (recorded from Claude Code 2.1.197)', () => {
  it('maps a run that writes a file and runs a failing command', async () => {
    const { events, summary, failure } = await mapRecording('claude-code.jsonl', mapper());
    const write = { file_path: `${RECORDED_WORKSPACE}/hello.txt`, content: 'Hello from the agent\n' };
    expect(events).toEqual([
      { type: 'log', line: 'Claude Code started (model claude-sonnet-4-5).' },
      { type: 'tool-call', id: 'toolu_mock_000001', name: 'Write', args: write },
      { type: 'usage', steps: 1, inputTokens: expect.any(Number), outputTokens: 1, costUsd: 0 },
      {
        type: 'tool-result',
        id: 'toolu_mock_000001',
        name: 'Write',
        output: expect.stringContaining('File created successfully'),
      },
      { type: 'file', path: 'hello.txt', action: 'write', bytes: 21 },
      {
        type: 'tool-call',
        id: 'toolu_mock_000002',
        name: 'Bash',
        args: expect.objectContaining({ command: expect.stringContaining('allSettled') }),
      },
      { type: 'usage', steps: 2, inputTokens: expect.any(Number), outputTokens: 2, costUsd: 0 },
      {
        type: 'tool-result',
        id: 'toolu_mock_000002',
        name: 'Bash',
        output: 'Exit code 3\nrejected rejected ***',
        isError: true,
      },
      {
        type: 'command',
        command: expect.stringContaining('allSettled'),
        exitCode: 3,
        output: 'Exit code 3\nrejected rejected ***',
      },
      { type: 'message', role: 'assistant', text: 'Done: hello.txt greets the world.' },
      { type: 'usage', steps: 3, inputTokens: expect.any(Number), outputTokens: 3, costUsd: 0 },
      // The result's totals replace the running figures (steps = Claude Code's turns).
      {
        type: 'usage',
        steps: 3,
        inputTokens: expect.any(Number),
        outputTokens: expect.any(Number),
        costUsd: expect.any(Number),
      },
    ]);
    const inputs = events.flatMap((e) => (e.type === 'usage' ? [e.inputTokens] : []));
    expect(inputs).toEqual([...inputs].sort((a, b) => a - b));
    expect(summary).toBe('Done: hello.txt greets the world.');
    expect(failure).toBeUndefined();
  });

  it("reports an API error as Claude Code's failure, not as the model's words", async () => {
    const { events, summary, failure } = await mapRecording('claude-code-api-error.jsonl', mapper());
    expect(events.filter((e) => e.type === 'message')).toEqual([]);
    expect(events).toContainEqual({
      type: 'log',
      line: 'Claude Code: API Error: 400 Invalid request',
      stream: 'stderr',
    });
    expect(failure).toBe('Claude Code ended with success: API Error: 400 Invalid request');
    expect(summary).toBeUndefined();
  });

  it('ignores what it does not know, and says so to the debug log', () => {
    const unknown: unknown[] = [];
    const m = mapper((event) => unknown.push(event));
    expect(m.map({ type: 'rate_limit_event', rate_limit_info: {} })).toEqual([]);
    expect(m.map({ type: 'system', subtype: 'compact_boundary' })).toEqual([]);
    expect(m.map({ type: 'assistant' })).toEqual([]);
    expect(m.map({ type: 'user', message: { content: 'plain text' } })).toEqual([]);
    expect(unknown).toHaveLength(2);
  });

  it('cuts long tool output, keeps paths outside the workspace out of file events', () => {
    const m = mapper();
    m.map({
      type: 'assistant',
      message: {
        id: 'm1',
        content: [
          { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'yes | head -c 10000' } },
          {
            type: 'tool_use',
            id: 't2',
            name: 'Write',
            input: { file_path: '/tmp/scratch.txt', content: 'x' },
          },
        ],
      },
    });
    const [result] = m.map({
      type: 'user',
      message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: 'y\n'.repeat(5000) }] },
    });
    expect(result).toMatchObject({
      type: 'tool-result',
      output: expect.stringMatching(/… \(5904 more characters\)$/),
    });
    const written = m.map({
      type: 'user',
      message: { content: [{ type: 'tool_result', tool_use_id: 't2', content: 'ok' }] },
    });
    expect(written.map((e) => e.type)).toEqual(['tool-result']);
  });

  it('names the step limit when Claude Code stops at --max-turns', () => {
    const m = mapper();
    m.map({ type: 'result', subtype: 'error_max_turns', is_error: true, num_turns: 5 });
    expect(m.finish().failure).toBe("Claude Code stopped after 5 turns, the task's step limit.");
  });
});
