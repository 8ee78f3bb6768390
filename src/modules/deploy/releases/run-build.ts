import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  DEFAULT_PATH,
  handOverToSandbox,
  type Isolation,
  runSandboxed,
  type SandboxNetwork,
  type SandboxUser,
} from '../../../platform/sandbox/index.ts';
import { failSpan, traceEnv, withChildSpan } from '../../../platform/tracing.ts';
import { StreamMasker } from '../../secrets/index.ts';

const BUILD_TIMEOUT_MS = 15 * 60_000;
const LIMITS = { memoryBytes: 4 * 1024 ** 3, cpus: 2, pids: 1024 };

export interface BuildOptions {
  command: string;
  /** The release directory (build output stays in it). */
  workspace: string;
  /** Scratch HOME and TMPDIR, removed afterwards. */
  scratch: string;
  logFile: string;
  env: Record<string, string>;
  secretValues: string[];
  /** Orchard's home (what the sandbox's user may be given a way through). */
  home: string;
  hidden: string[];
  /** The project's own unprivileged user (when Orchard is root): the release becomes its. */
  user: SandboxUser;
  /** Builds fetch packages: a private network, or the host's where the project allows it. */
  network: SandboxNetwork;
  allowUnsandboxed: boolean;
  name: string;
  onLine?(line: string, stream: 'stdout' | 'stderr'): void;
  signal?: AbortSignal;
  isolation?: Isolation;
}

/** Runs a release's `build` command once, in the sandbox (network on: installs fetch packages). */
export async function runBuild(
  o: BuildOptions,
): Promise<{ ok: boolean; tail: string[]; exitCode: number | null }> {
  const home = path.join(o.scratch, 'home');
  const tmp = path.join(o.scratch, 'tmp');
  await mkdir(home, { recursive: true });
  await mkdir(tmp, { recursive: true });
  await mkdir(path.dirname(o.logFile), { recursive: true });
  await handOverToSandbox(o.user, { own: [o.workspace, o.scratch], root: o.home });
  const file = createWriteStream(o.logFile, { flags: 'w' });
  const tail: string[] = [];
  const partial = { stdout: '', stderr: '' };
  const maskers = { stdout: new StreamMasker(o.secretValues), stderr: new StreamMasker(o.secretValues) };
  const take = (stream: 'stdout' | 'stderr', text: string, end = false) => {
    const parts = (partial[stream] + text).split(/\r?\n/);
    partial[stream] = end ? '' : (parts.pop() ?? '');
    for (const line of parts) {
      if (end && !line) continue;
      file.write(`${stream} ${line}\n`);
      tail.push(line);
      if (tail.length > 20) tail.shift();
      o.onLine?.(line, stream);
    }
  };
  try {
    // In a trace (the deploy step, a deploy request), the build is a span; TRACEPARENT passes it on.
    const result = await withChildSpan('deploy build', {}, async (span) => {
      const ran = await runSandboxed({
        command: ['sh', '-ec', o.command],
        workspace: o.workspace,
        env: {
          LANG: 'C.UTF-8',
          CI: 'true',
          ...o.env,
          PATH: DEFAULT_PATH,
          HOME: home,
          TMPDIR: tmp,
          ...traceEnv(),
        },
        network: o.network,
        user: o.user,
        allowUnsandboxed: o.allowUnsandboxed,
        writable: [o.scratch],
        hidden: o.hidden,
        limits: LIMITS,
        name: o.name,
        timeoutMs: BUILD_TIMEOUT_MS,
        signal: o.signal,
        isolation: o.isolation,
        onStdout: (c) => take('stdout', maskers.stdout.push(c.toString('utf8'))),
        onStderr: (c) => take('stderr', maskers.stderr.push(c.toString('utf8'))),
      });
      if (ran.exitCode !== null) span.setAttribute('process.exit.code', ran.exitCode);
      if (ran.timedOut || ran.exitCode !== 0)
        failSpan(span, `the build exited with ${ran.exitCode ?? ran.signal}`);
      return ran;
    });
    take('stdout', maskers.stdout.flush(), true);
    take('stderr', maskers.stderr.flush(), true);
    if (result.timedOut) tail.push(`(the build did not finish within ${BUILD_TIMEOUT_MS / 60_000} minutes)`);
    return {
      ok: result.exitCode === 0 && !result.timedOut && !result.cancelled,
      tail,
      exitCode: result.exitCode,
    };
  } finally {
    await new Promise<void>((resolve) => file.end(resolve));
    await rm(o.scratch, { recursive: true, force: true });
  }
}
