import { spawn } from 'node:child_process';
import { DEFAULT_PATH } from '../../platform/sandbox/index.ts';

/**
 * The environment every git process Orchard runs gets: nothing inherited (a developer's GIT_DIR or
 * global config must not change what the server does), no prompts, stable messages.
 */
export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: DEFAULT_PATH,
    HOME: '/nonexistent',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LANG: 'C',
    LC_ALL: 'C',
    ...extra,
  };
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface RunGitOptions {
  /** The repository (bare or worktree); passed as `-C`. */
  cwd: string;
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Output beyond this many bytes fails the command (protects the server from huge diffs). */
  maxOutputBytes?: number;
}

export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git ${args[0]} failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
}

/** Runs git and collects its output; resolves with the exit code (never throws for a non-zero exit). */
export function runGit(args: string[], options: RunGitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', options.cwd, '--literal-pathspecs', ...args], {
      env: gitEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let tooBig = false;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (options.maxOutputBytes && size > options.maxOutputBytes) {
        tooBig = true;
        child.kill('SIGKILL');
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64_000) stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (tooBig) reject(new OutputTooLargeError(options.maxOutputBytes!));
      else resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

export class OutputTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`git output exceeds ${limit} bytes`);
  }
}

/** Runs git and returns stdout as text; throws GitCommandError on a non-zero exit. */
export async function git(args: string[], options: RunGitOptions): Promise<string> {
  const result = await runGit(args, options);
  if (result.code !== 0) throw new GitCommandError(args, result.code, result.stderr);
  return result.stdout.toString('utf8');
}
