import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const STARTUP_DEADLINE_MS = 20_000;
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function startCli(args: string[]) {
  const child = spawn(process.execPath, ['bin/orchard', 'mock-llm', ...args], {
    cwd: repoRoot,
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
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** Resolves with the URL from the "listening" line, or fails at the deadline with what the CLI said. */
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line; stderr: ${stderr}`)),
      STARTUP_DEADLINE_MS,
    );
    const check = () => {
      const found = /^mock-llm listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`mock-llm exited with ${code}; stderr: ${stderr}`));
    });
  });
  // A test that expects the CLI to fail never awaits the URL; that rejection is not an error.
  url.catch(() => undefined);
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

async function scenarioFile(yaml: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'mock-llm-cli-')), 'scenario.yaml');
  await writeFile(file, yaml);
  return file;
}

describe('orchard mock-llm (separate process)', () => {
  it('serves the scenario file on a free port and stops cleanly on SIGTERM', async () => {
    const file = await scenarioFile('- reply: Served from another process.\n  chunkSize: 5\n');
    const cli = startCli(['--port', '0', '--scenario', file]);
    const url = await cli.url;
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'gpt-mock',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Served from another process.');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('refuses an invalid scenario file with one line naming the entry and field', async () => {
    const file = await scenarioFile('- reply: ok\n- toolCall: {args: {}}\n');
    const cli = startCli(['--port', '0', '--scenario', file]);
    expect(await cli.exited).toBe(1);
    expect(cli.output().stderr).toContain('entry 1, field "toolCall.name"');
    expect(cli.output().stdout).not.toContain('listening');
  });
});
