import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RunningOrchard {
  /** `http://localhost:<port>` as the server printed it. */
  url: string;
  home: string;
  /** Everything the process wrote so far (for failure messages). */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within the deadline; removes the home dir (and config). */
  stop(): Promise<void>;
}

export interface StartOrchardOptions {
  databaseUrl: string;
  /** Extra environment (e.g. ORCHARD_* settings) for the child. */
  env?: Record<string, string>;
  /** An `orchard.config.json` for the child (ORCHARD_CONFIG), written next to its home and removed with it. */
  config?: Record<string, unknown>;
  startTimeoutMs?: number;
}

const RUNNING = /Orchard is running at (http:\/\/\S+)/;

/** Runs `orchard up --port 0` as a real child process and waits for its "running at" line. */
export async function startOrchard(options: StartOrchardOptions): Promise<RunningOrchard> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'orchard-e2e-home-'));
  const configFile = `${home}.config.json`;
  if (options.config) await writeFile(configFile, JSON.stringify(options.config));
  const child = spawn(process.execPath, ['bin/orchard', 'up', '--port', '0', '--home', home], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      ORCHARD_LOG_LEVEL: 'warn',
      ...(options.config ? { ORCHARD_CONFIG: configFile } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  const stop = async () => {
    await terminate(child);
    await rm(home, { recursive: true, force: true });
    await rm(configFile, { force: true });
  };

  try {
    const url = await waitForUrl(child, () => output, options.startTimeoutMs ?? 60_000);
    return { url, home, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitForUrl(child: ChildProcess, output: () => string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    const onData = () => {
      const match = RUNNING.exec(output());
      if (match) {
        cleanup();
        resolve(match[1]!);
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`orchard up exited (${signal ?? code}) before it was running:\n${output()}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`orchard up did not report "running at" within ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    child.stdout?.on('data', onData);
    child.on('exit', onExit);
    onData();
  });
}

async function terminate(child: ChildProcess, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
