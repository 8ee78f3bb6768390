import { spawn } from 'node:child_process';
import path from 'node:path';
import { bubblewrapArgs } from './bubblewrap.ts';
import { type CgroupLimits, createJobCgroup, type JobCgroup } from './cgroup.ts';
import { detectIsolation, type Isolation } from './detect.ts';

/** A PATH for jobs that does not depend on Orchard's own environment; node's directory comes first. */
export const DEFAULT_PATH = [
  path.dirname(process.execPath),
  '/usr/local/sbin',
  '/usr/local/bin',
  '/usr/sbin',
  '/usr/bin',
  '/sbin',
  '/bin',
].join(':');

export interface SandboxOptions {
  /** argv of the command. */
  command: string[];
  /** The job's workspace: its working directory and the only writable place besides /tmp. */
  workspace: string;
  /** The complete environment of the command (nothing is inherited from Orchard). */
  env: Record<string, string>;
  /** Allow network access (off by default). */
  network?: boolean;
  writable?: string[];
  /** Paths the command must not see at all. */
  hidden?: string[];
  /** Read-only paths inside hidden ones that the command still needs. */
  readOnly?: string[];
  limits?: CgroupLimits;
  /** A name for the job's cgroup. */
  name?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  onStdout?(chunk: Buffer): void;
  onStderr?(chunk: Buffer): void;
  /** Called when isolation is weaker than asked (no bubblewrap, no cgroup limits). */
  onWarning?(message: string): void;
  /** For tests: pretend the machine offers this isolation. */
  isolation?: Isolation;
}

export interface SandboxResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  isolation: 'bubblewrap' | 'none';
  limited: boolean;
}

/**
 * Runs a command isolated: in bubblewrap when the machine has it, in a job cgroup with limits
 * when one can be made, else as a plain child process (with a warning). The command runs in its
 * own process group; timeout and cancellation kill the whole group.
 */
export function runSandboxed(options: SandboxOptions): Promise<SandboxResult> {
  const isolation = options.isolation ?? detectIsolation();
  let argv = options.command;
  if (isolation.bubblewrap) {
    argv = [
      'bwrap',
      ...bubblewrapArgs({
        workspace: options.workspace,
        writable: options.writable,
        hidden: options.hidden,
        readOnly: options.readOnly,
        network: options.network ?? false,
      }),
      '--',
      ...argv,
    ];
  } else {
    options.onWarning?.(
      'bubblewrap is not available: the job runs as a plain child process, with full access to the file system and network.',
    );
  }
  let cgroup: JobCgroup | undefined;
  const wantsLimits = Boolean(options.limits && Object.values(options.limits).some(Boolean));
  if (wantsLimits && isolation.cgroupParent) {
    try {
      cgroup = createJobCgroup(
        isolation.cgroupParent,
        options.name ?? `job-${process.pid}-${Date.now()}`,
        options.limits!,
      );
      // The command moves itself into the cgroup before exec, so nothing it forks escapes the limits.
      argv = ['sh', '-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', cgroup.dir, ...argv];
    } catch (error) {
      options.onWarning?.(
        `Could not create a cgroup for the job (${(error as Error).message}); it runs without limits.`,
      );
    }
  } else if (wantsLimits) {
    options.onWarning?.(
      'cgroup v2 limits are not available on this machine: memory, cpu and pids are not limited.',
    );
  }

  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.workspace,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    let cancelled = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {}
    };
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          killGroup();
        }, options.timeoutMs)
      : undefined;
    const onAbort = () => {
      cancelled = true;
      killGroup();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (c: Buffer) => options.onStdout?.(c));
    child.stderr.on('data', (c: Buffer) => options.onStderr?.(c));
    let done = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      cgroup?.remove();
      resolve({
        exitCode,
        signal,
        timedOut,
        cancelled,
        isolation: isolation.bubblewrap ? 'bubblewrap' : 'none',
        limited: Boolean(cgroup),
      });
    };
    child.on('error', (error) => {
      options.onStderr?.(Buffer.from(`${error.message}\n`));
      finish(127, null);
    });
    // Background processes the command left in its group must not outlive it (nor hold its pipes open).
    child.on('exit', killGroup);
    child.on('close', finish);
  });
}
