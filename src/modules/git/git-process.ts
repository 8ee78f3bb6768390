import { type ChildProcess, spawn } from 'node:child_process';
import { DomainError } from '../../platform/errors.ts';
import { DEFAULT_PATH } from '../../platform/sandbox/index.ts';
import { endSpan, startChildSpan } from '../../platform/tracing.ts';

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

/** How long git may run (config `git.*`). */
export interface GitLimits {
  /** A local command is killed after this long. */
  timeoutMs: number;
  /** Smart HTTP: git is killed when no bytes flow either way this long. */
  transferIdleMs: number;
}

/**
 * The limits every git process gets unless a call passes its own. Process-wide, set once at start
 * from the configuration (`configureGit`): git runs from some thirty places that know only a
 * repository path, and none of them should decide how long is too long.
 */
const limits: GitLimits = { timeoutMs: 120_000, transferIdleMs: 60_000 };

export function configureGit(next: GitLimits) {
  Object.assign(limits, next);
}

export function gitLimits(): Readonly<GitLimits> {
  return limits;
}

export interface RunGitOptions {
  /** The repository (bare or worktree); passed as `-C`. */
  cwd: string;
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Output beyond this many bytes fails the command (protects the server from huge diffs). */
  maxOutputBytes?: number;
  /** Killed (with everything it started) after this long; default `git.timeoutMs`. */
  timeoutMs?: number;
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

/** Git ran out of time and was stopped: 504 in the API, the step's error in a job. */
export class GitTimeoutError extends DomainError {
  readonly code = 'git_timeout';
  readonly status = 504;
}

export function seconds(ms: number) {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * Spawns git as the leader of its own process group, so that `killGitGroup` also stops what it
 * started (hooks, pack-objects, a merge driver) — killing git alone would leave those running and
 * holding its output open.
 */
export function spawnGit(args: string[], options: { env?: Record<string, string> } = {}) {
  const child = spawn('git', args, {
    env: gitEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  traceGit(child, args);
  return child;
}

/** Inside a trace (a request, a step), each git process is a span: `git <subcommand>`, until it exits. */
function traceGit(child: ChildProcess, args: string[]) {
  const traced = startChildSpan(`git ${subcommand(args)}`, {
    attributes: {
      'process.executable.name': 'git',
      ...(child.pid !== undefined ? { 'process.pid': child.pid } : {}),
    },
  });
  if (!traced) return;
  let ended = false;
  const end = (error?: Error) => {
    if (ended) return;
    ended = true;
    endSpan(traced.span, error);
  };
  child.once('error', end);
  child.once('close', (code, signal) => {
    if (code !== null) traced.span.setAttribute('process.exit.code', code);
    end(signal ? new Error(`git was stopped by ${signal}`) : undefined);
  });
}

/** `rev-parse` of `-C repo --literal-pathspecs rev-parse …` (what the process does, never its arguments). */
function subcommand(args: string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-C' || arg === '-c') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return '';
}

export function killGitGroup(child: ChildProcess) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Runs git and collects its output; resolves with the exit code (never throws for a non-zero exit). */
export function runGit(args: string[], options: RunGitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(['-C', options.cwd, '--literal-pathspecs', ...args], options);
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let tooBig = false;
    const timeoutMs = options.timeoutMs ?? limits.timeoutMs;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGitGroup(child);
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (options.maxOutputBytes && size > options.maxOutputBytes) {
        tooBig = true;
        killGitGroup(child);
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64_000) stderr += chunk.toString();
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut)
        reject(
          new GitTimeoutError(
            `git ${args[0]} did not finish within ${seconds(timeoutMs)} and was stopped; try again, or raise git.timeoutMs if the repository is that large.`,
          ),
        );
      else if (tooBig) reject(new OutputTooLargeError(options.maxOutputBytes!));
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
