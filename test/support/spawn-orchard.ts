import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'orchard');

export interface OrchardProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/** The environment for a child Orchard: ours without database/config overrides, plus `env`. */
export function childEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of Object.keys(base))
    if (key.startsWith('ORCHARD_') || key === 'DATABASE_URL') delete base[key];
  return { ...base, ORCHARD_LOG_LEVEL: 'warn', ...env };
}

/** Runs `orchard <args>` and resolves once it prints its URL (or rejects with its output). */
export function startOrchardProcess(
  args: string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 60_000,
): Promise<OrchardProcess> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`orchard ${args.join(' ')} did not start in ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/running at (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => out, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`orchard ${args.join(' ')} exited with ${code}:\n${out}`));
    });
  });
}

/** Runs a short `orchard <args>` command to completion. */
export function runOrchard(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/**
 * Runs `orchard worker <args>` and resolves once it reports running (or rejects with its output);
 * `track` is told of the child at once, so a test can stop it even when it never starts.
 */
export function startOrchardWorker(
  args: string[],
  env: Record<string, string | undefined> = {},
  track?: (child: ChildProcess) => void,
  timeoutMs = 60_000,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track?.(child);
  let output = '';
  const what = `orchard worker ${args.join(' ')}`.trim();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${output}`)), timeoutMs);
    child.stderr!.on('data', (c: Buffer) => (output += c));
    child.stdout!.on('data', (c: Buffer) => {
      output += c;
      if (output.includes('is running')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${output}`));
    });
  });
}

/** SIGKILL to the process itself (no graceful stop); resolves once it is gone, killed by that signal. */
export async function killHard(child: ChildProcess): Promise<void> {
  const gone = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  expect(child.kill('SIGKILL')).toBe(true);
  expect(await gone).toBe('SIGKILL');
}
