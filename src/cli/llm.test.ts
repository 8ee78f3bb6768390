import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KEY = 'sk-cli-SECRET-0f1e2d3c4b5a';
const TEXT = 'Hello from another process, streamed in small pieces.';
const children: ChildProcess[] = [];
let dir: string;
let config: string;

/** Runs `bin/orchard …` with a clean environment (no DATABASE_URL: config-only gateway). */
function orchard(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['bin/orchard', ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
    stdio: 'pipe',
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'orchard-llm-cli-'));
  const scenario = path.join(dir, 'scenario.yaml');
  await writeFile(
    scenario,
    [
      `- reply: "${TEXT}"`,
      '  chunkSize: 7',
      '  fault: reset',
      '  after: 3',
      `- reply: "${TEXT}"`,
      '  chunkSize: 7',
      '',
    ].join('\n'),
  );
  const mock = orchard(['mock-llm', '--port', '0', '--scenario', scenario]);
  // The mock prints its URL once it listens; wait for that line (or its exit) with a deadline.
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`mock-llm did not start: ${mock.output().stderr}`)),
      20_000,
    );
    mock.child.stdout.on('data', () => {
      const found = /mock-llm listening on (\S+)/.exec(mock.output().stdout);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    void mock.exited.then((code) =>
      reject(new Error(`mock-llm exited with ${code}: ${mock.output().stderr}`)),
    );
  });
  config = path.join(dir, 'orchard.yaml');
  await writeFile(
    config,
    [
      'llm:',
      '  providers:',
      '    - name: anthropic',
      '      kind: anthropic',
      `      baseUrl: ${url}`,
      '      apiKey: env:CLI_TEST_KEY',
      '      models:',
      '        - { id: claude-sonnet-4-5, input: 3, cachedInput: 0.3, output: 15 }',
      '  aliases:',
      '    fast: [anthropic/claude-sonnet-4-5]',
      '',
    ].join('\n'),
  );
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
});

describe('orchard llm (separate processes, mock-llm as its own process)', () => {
  it('ask streams the whole answer once across a connection reset, then usage and cost', async () => {
    const run = orchard(['--config', config, 'llm', 'ask', 'say', 'hello'], { CLI_TEST_KEY: KEY });
    expect(await run.exited).toBe(0);
    const { stdout, stderr } = run.output();
    const [answer, usage] = stdout.split('\n\n— ');
    expect(answer).toBe(TEXT);
    const figures =
      /^anthropic\/claude-sonnet-4-5 · (\d+) in \(0 cached\) \/ (\d+) out tokens · \$(\d+\.\d{6}) · 2 attempts · first token \d+ ms · [\d.]+ s\n$/.exec(
        usage ?? '',
      );
    expect(figures, usage).not.toBeNull();
    const [, input, output, cost] = figures!.map(Number);
    expect(cost).toBeCloseTo((input! * 3 + output! * 15) / 1e6, 6);
    expect(stdout + stderr).not.toContain(KEY);
  });

  it('providers shows the configuration, key source and breaker; errors are one clear line', async () => {
    const list = orchard(['--config', config, 'llm', 'providers', '--json']);
    expect(await list.exited).toBe(0);
    const view = JSON.parse(list.output().stdout);
    expect(view.items).toEqual([
      expect.objectContaining({
        name: 'anthropic',
        apiKey: { configured: true, source: 'env', ref: 'env:CLI_TEST_KEY' },
        breaker: expect.objectContaining({ state: 'closed' }),
      }),
    ]);
    expect(view.aliases).toEqual({ fast: ['anthropic/claude-sonnet-4-5'] });

    const noKey = orchard(['--config', config, 'llm', 'ask', 'hi']);
    expect(await noKey.exited).toBe(1);
    expect(noKey.output().stderr).toBe(
      'orchard: No model of "fast" answered (anthropic/claude-sonnet-4-5: not_configured (provider anthropic: environment variable CLI_TEST_KEY is not set)). Check the providers\' status and keys.\n',
    );
  }, 90_000); // two CLI processes, each loading the whole app: slow on a busy two-core machine
});
