import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config.ts';
import { createLogger } from '../../../platform/log.ts';
import { createMetrics } from '../../../platform/metrics.ts';
import {
  createLlmGateway,
  type LlmGateway,
  type MockLlm,
  type ScenarioEntry,
  startMockLlm,
} from '../../llm/index.ts';
import { autopilotBlueprint } from '../../studio/index.ts';
import type { AgentEvent, AgentTask } from '../agent-runtime.ts';
import { AgentBudgetExceededError, driveAgent } from '../drive-agent.ts';
import { createLlmAgentRuntime } from './llm-agent-runtime.ts';

const run = promisify(execFile);
let dir: string;
let g: { mock: MockLlm; gateway: LlmGateway; close(): Promise<void> } | undefined;

/** The gateway with alias `coder` on the mock LLM server (OpenAI-compatible protocol). */
async function startGatewayOnMock(options: { scenario: ScenarioEntry[] }) {
  const mock = await startMockLlm({ scenario: options.scenario });
  const llm = {
    providers: [
      {
        name: 'openai',
        kind: 'openai-compatible',
        baseUrl: `${mock.url}/v1`,
        apiKey: 'sk-test',
        models: [{ id: 'gpt-mock', input: 1.25, output: 10 }],
      },
    ],
    aliases: { coder: ['openai/gpt-mock'] },
  };
  const config = loadConfig({ env: {}, cwd: os.tmpdir(), flags: { llm, logLevel: 'warn' } });
  const gateway = createLlmGateway({
    config,
    logger: createLogger({ level: 'warn' }),
    metrics: createMetrics({ defaultMetrics: false }),
    env: {},
  });
  return {
    mock,
    gateway,
    close: async () => {
      await gateway.flush();
      await mock.close();
    },
  };
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-llm-agent-'));
  await run('git', ['init', '-q', dir]);
  await writeFile(
    path.join(dir, 'app.js'),
    'export const greeting = "hello";\nexport const name = "world";\n',
  );
  await writeFile(path.join(dir, 'AGENTS.md'), 'Keep functions small.\n');
});
afterEach(async () => {
  await g?.close();
  g = undefined;
  await rm(dir, { recursive: true, force: true });
});

function task(extra: Partial<AgentTask> = {}): AgentTask {
  const blueprint = autopilotBlueprint('a recipe box');
  return {
    title: 'Shout the greeting',
    spec: '',
    instructions: 'Make the greeting upper case.',
    blueprint,
    template: 'crud-app',
    ...extra,
  };
}

const workspace = () => ({ dir, branch: 'orchard/x', baseSha: '0'.repeat(40), projectSlug: 'x' });

async function drive(events: AgentEvent[], extra: Partial<AgentTask> = {}, history?: AgentEvent[]) {
  const runtime = createLlmAgentRuntime({ gateway: g!.gateway });
  return driveAgent(runtime, task(extra), workspace(), {
    signal: new AbortController().signal,
    history,
    onEvent: (e) => void events.push(e),
  });
}

describe('llm-agent', () => {
  it('reads, edits and writes files through scripted tool calls, then finishes', async () => {
    g = await startGatewayOnMock({
      scenario: [
        { toolCall: { name: 'read_file', args: { path: 'app.js' } } },
        {
          match: { contains: 'export const greeting' },
          toolCall: { name: 'edit_file', args: { path: 'app.js', old_text: '"hello"', new_text: '"HELLO"' } },
        },
        {
          match: { contains: 'Edited app.js' },
          toolCall: { name: 'write_file', args: { path: 'docs/notes.md', content: '# Notes\n' } },
        },
        {
          match: { contains: 'Created docs/notes.md' },
          toolCall: { name: 'finish', args: { summary: 'Upper-cased the greeting.' } },
        },
      ],
    });
    const events: AgentEvent[] = [];
    const outcome = await drive(events);
    expect(outcome.summary).toBe('Upper-cased the greeting.');
    expect(outcome.usage.steps).toBe(4);
    expect(outcome.usage.inputTokens).toBeGreaterThan(0);
    expect(outcome.filesChanged).toBe(2);
    expect(await readFile(path.join(dir, 'app.js'), 'utf8')).toContain('"HELLO"');
    expect(await readFile(path.join(dir, 'docs/notes.md'), 'utf8')).toBe('# Notes\n');
    const kinds = events.map((e) => e.type);
    expect(kinds[0]).toBe('message');
    expect(kinds.filter((k) => k === 'tool-call')).toHaveLength(4);
    expect(kinds.filter((k) => k === 'tool-result')).toHaveLength(4);
    // The model saw the repository, AGENTS.md and the task.
    const first = g!.mock.requests()[0]!;
    const body = JSON.stringify(first.body);
    expect(body).toContain('AGENTS.md');
    expect(body).toContain('Keep functions small.');
    expect(body).toContain('Make the greeting upper case.');
  });

  it('refuses an ambiguous edit and a path outside the repository as tool errors the model sees', async () => {
    await writeFile(path.join(dir, 'twice.txt'), 'a\na\n');
    g = await startGatewayOnMock({
      scenario: [
        { toolCall: { name: 'edit_file', args: { path: 'twice.txt', old_text: 'a', new_text: 'b' } } },
        { toolCall: { name: 'read_file', args: { path: '../../etc/passwd' } } },
        { reply: 'I give up.' },
      ],
    });
    const events: AgentEvent[] = [];
    const outcome = await drive(events);
    expect(outcome.summary).toBe('I give up.');
    const results = events.filter((e) => e.type === 'tool-result');
    expect(results[0]).toMatchObject({ isError: true, output: expect.stringContaining('occurs 2 times') });
    expect(results[1]).toMatchObject({
      isError: true,
      output: expect.stringContaining('outside the repository'),
    });
    expect(await readFile(path.join(dir, 'twice.txt'), 'utf8')).toBe('a\na\n');
  });

  it('resumes from its transcript: a recorded call without a result runs first, completed ones never again', async () => {
    g = await startGatewayOnMock({
      scenario: [{ toolCall: { name: 'finish', args: { summary: 'Done after resume.' } } }],
    });
    const history: AgentEvent[] = [
      { type: 'message', role: 'user', text: 'Shout the greeting' },
      { type: 'tool-call', id: 'c1', name: 'write_file', args: { path: 'one.txt', content: '1' } },
      { type: 'tool-result', id: 'c1', name: 'write_file', output: 'Created one.txt (1 bytes).' },
      { type: 'usage', steps: 1, inputTokens: 100, outputTokens: 10, costUsd: 0.001 },
      { type: 'tool-call', id: 'c2', name: 'write_file', args: { path: 'two.txt', content: '2' } },
    ];
    const events: AgentEvent[] = [];
    const outcome = await drive(events, {}, history);
    // c1 was completed (its file is not written again); c2 was not: it runs before the next model call.
    await expect(readFile(path.join(dir, 'one.txt'), 'utf8')).rejects.toThrow();
    expect(await readFile(path.join(dir, 'two.txt'), 'utf8')).toBe('2');
    expect(events.filter((e) => e.type === 'tool-result').map((e) => (e as { id: string }).id)).toEqual([
      'c2',
      expect.any(String),
    ]);
    expect(outcome.usage.steps).toBe(2);
    expect(outcome.usage.inputTokens).toBeGreaterThan(100);
    // The model was asked once, with the recorded conversation and c2's result.
    const requests = g!.mock.requests();
    expect(requests).toHaveLength(1);
    expect(JSON.stringify(requests[0]!.body)).toContain('Created two.txt');
  });

  it('ends a run cut short after finish had its result without asking the model again', async () => {
    g = await startGatewayOnMock({ scenario: [{ reply: 'A model call that must not happen.' }] });
    const history: AgentEvent[] = [
      { type: 'message', role: 'user', text: 'Shout the greeting' },
      { type: 'tool-call', id: 'c1', name: 'finish', args: { summary: 'Shouted.' } },
      { type: 'tool-call', id: 'c2', name: 'write_file', args: { path: 'after.txt', content: 'x' } },
      { type: 'usage', steps: 1, inputTokens: 100, outputTokens: 10, costUsd: 0.001 },
      { type: 'tool-result', id: 'c1', name: 'finish', output: 'Finished.' },
    ];
    const events: AgentEvent[] = [];
    const outcome = await drive(events, {}, history);
    // The call after finish in the same turn still runs (it had no result); then the run ends.
    expect(await readFile(path.join(dir, 'after.txt'), 'utf8')).toBe('x');
    expect(outcome.summary).toBe('Shouted.');
    expect(g!.mock.requests()).toHaveLength(0);
    // Without the call after it, the run ends at once.
    const again = await drive(
      [],
      {},
      history.filter((e) => !('id' in e) || e.id !== 'c2'),
    );
    expect(again.summary).toBe('Shouted.');
    expect(g!.mock.requests()).toHaveLength(0);
  });

  it('stops at its token budget with the limit in the error', async () => {
    g = await startGatewayOnMock({
      scenario: [
        { toolCall: { name: 'list_files', args: {} } },
        { toolCall: { name: 'list_files', args: { path: '.' } } },
      ],
    });
    const events: AgentEvent[] = [];
    const error = await drive(events, { budget: { maxTokens: 500 } }).catch((e) => e);
    expect(error).toBeInstanceOf(AgentBudgetExceededError);
    expect(error.message).toMatch(/maxTokens is 500/);
  });

  it('stops when it repeats the same call', async () => {
    g = await startGatewayOnMock({ scenario: [{ toolCall: { name: 'list_files', args: {} } }] });
    const error = await drive([]).catch((e) => e);
    expect(error.message).toMatch(/repeated the same list_files call 4 times/);
  });

  it("works on with its workspace tools when Orchard's /mcp does not answer, saying so", async () => {
    // A port nothing listens on any more.
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    g = await startGatewayOnMock({
      scenario: [{ toolCall: { name: 'finish', args: { summary: 'Nothing to do.' } } }],
    });
    const events: AgentEvent[] = [];
    const outcome = await driveAgent(createLlmAgentRuntime({ gateway: g.gateway }), task(), workspace(), {
      signal: new AbortController().signal,
      mcp: { url: `http://127.0.0.1:${port}/mcp`, token: 'orch_not-a-real-token-at-all' },
      onEvent: (e) => void events.push(e),
    });
    expect(outcome.summary).toBe('Nothing to do.');
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'log',
        line: expect.stringMatching(/^Orchard's MCP tools are unavailable/),
      }),
    );
    // Offered the workspace tools only.
    const tools = JSON.stringify(g.mock.requests()[0]!.body);
    expect(tools).toContain('"finish"');
    expect(tools).not.toContain('orchard__');
  });
});
