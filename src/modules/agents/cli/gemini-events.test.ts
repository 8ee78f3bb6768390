import { describe, expect, it } from 'vitest';
import { mapRecording, RECORDED_WORKSPACE } from './cli-test-kit.test-support.ts';
import { createGeminiMapper } from './gemini-events.ts';

const mapper = (onUnknown?: (event: Record<string, unknown>) => void) =>
  createGeminiMapper({ workspace: RECORDED_WORKSPACE, onUnknown });

describe('Gemini CLI stream-json → AgentEvents (recorded from Gemini CLI 0.61.0)', () => {
  it('maps a run that writes a file and runs a command, joining text deltas', async () => {
    const { events, summary, failure } = await mapRecording('gemini.jsonl', mapper());
    const writeId = expect.stringMatching(/^write_file__/);
    const shellId = expect.stringMatching(/^run_shell_command__/);
    expect(events).toEqual([
      { type: 'log', line: 'Gemini CLI started (model gemini-2.5-flash).' },
      { type: 'usage', steps: 1, inputTokens: 0, outputTokens: 0, costUsd: 0 },
      {
        type: 'tool-call',
        id: writeId,
        name: 'write_file',
        args: { file_path: 'hello.txt', content: 'Hello from the agent\n' },
      },
      { type: 'tool-result', id: writeId, name: 'write_file', output: '' },
      { type: 'file', path: 'hello.txt', action: 'write', bytes: 21 },
      { type: 'usage', steps: 2, inputTokens: 0, outputTokens: 0, costUsd: 0 },
      {
        type: 'tool-call',
        id: shellId,
        name: 'run_shell_command',
        args: expect.objectContaining({ command: expect.stringContaining('allSettled') }),
      },
      { type: 'tool-result', id: shellId, name: 'run_shell_command', output: 'rejected rejected ***' },
      // Gemini CLI's stream does not carry a shell command's exit code.
      {
        type: 'command',
        command: expect.stringContaining('allSettled'),
        exitCode: null,
        output: 'rejected rejected ***',
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
    expect(summary).toBe('Done: hello.txt greets the world.');
    expect(failure).toBeUndefined();
  });

  it("fails with the API's message when the result is an error", async () => {
    const { failure } = await mapRecording('gemini-api-error.jsonl', mapper());
    expect(failure).toContain('Request contains an invalid argument.');
  });

  it('ignores unknown events (debug log), and shows warnings as log lines', () => {
    const unknown: unknown[] = [];
    const m = mapper((event) => unknown.push(event));
    expect(m.map({ type: 'heartbeat' })).toEqual([]);
    expect(unknown).toHaveLength(1);
    expect(
      m.map({ type: 'error', severity: 'warning', message: 'Loop detected, stopping execution' }),
    ).toEqual([
      { type: 'log', line: 'Gemini CLI (warning): Loop detected, stopping execution', stream: 'stderr' },
    ]);
  });

  it('keeps text that ends the stream without a result', () => {
    const m = mapper();
    m.map({ type: 'message', role: 'assistant', content: 'Half ', delta: true });
    m.map({ type: 'message', role: 'assistant', content: 'done', delta: true });
    expect(m.finish()).toMatchObject({
      events: [{ type: 'message', text: 'Half done' }],
      summary: 'Half done',
    });
  });
});
