import { execFile } from 'node:child_process';

/** Where `name` is on the PATH of `env` (this process's own when absent), or undefined. */
export async function findTool(name: string, env?: NodeJS.ProcessEnv): Promise<string | undefined> {
  const found = await runTool('/bin/sh', ['-c', 'command -v "$1"', 'sh', name], { env });
  return found.ok && found.stdout.trim() ? found.stdout.trim() : undefined;
}

export interface ToolOutput {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion (bounded), never throwing: a failure is `ok: false` with its output. */
export function runTool(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ToolOutput> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: options.env, timeout: options.timeoutMs ?? 5_000, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr) || (error?.message ?? '') }),
    );
  });
}
