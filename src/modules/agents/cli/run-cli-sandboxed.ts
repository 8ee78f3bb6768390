/**
 * One CLI run in the sandbox: bubblewrap as the sandbox's unprivileged user, only the workspace
 * and the run's private directory writable, the CLI's install (and the worktree's git directory)
 * read-only, no network but the LLM bridge's relay (and the egress proxy when the project's
 * `network.allow` names hosts), cgroup limits where the machine has them.
 * Never unsandboxed: `runSandboxed` refuses (SandboxUnavailableError) when it cannot isolate.
 */
import {
  type CgroupLimits,
  type Isolation,
  runSandboxed,
  type SandboxResult,
  type SandboxUser,
  withSocketRelay,
} from '../../../platform/sandbox/index.ts';
import type { SandboxEgress } from '../egress/sandbox-egress.ts';
import { LineSplitter } from './jsonl-reader.ts';
import type { LlmBridge } from './llm-bridge.ts';

export interface CliRunInput {
  /** The CLI's argv (program first). */
  command: string[];
  env: Record<string, string>;
  workspace: string;
  /** The run's private directory (the CLI's HOME, the bridge's sockets, task files). */
  runDir: string;
  readOnly: string[];
  /** Orchard's home, covered when it lies inside a system directory the sandbox mounts. */
  hidden: string[];
  bridge: LlmBridge;
  /** The egress proxy, its socket inside `runDir`; absent: no network but the bridge. */
  egress?: Pick<SandboxEgress, 'route' | 'env'>;
  user?: SandboxUser;
  isolation?: Isolation;
  limits?: CgroupLimits;
  name: string;
  signal: AbortSignal;
}

/** `network`: a connection attempt through the egress proxy (see describeAttempt). */
export type CliOutput = { stream: 'stdout' | 'stderr' | 'warning' | 'network'; line: string };

/** Runs the CLI to its end, handing over its output line by line. */
export function runCliSandboxed(
  input: CliRunInput,
  emit: (output: CliOutput) => void,
): Promise<SandboxResult> {
  const out = new LineSplitter();
  const err = new LineSplitter();
  const send = (stream: CliOutput['stream'], lines: string[]) => {
    for (const line of lines) emit({ stream, line });
  };
  return runSandboxed({
    command: withSocketRelay(input.command, [
      ...input.bridge.routes,
      ...(input.egress ? [input.egress.route] : []),
    ]),
    workspace: input.workspace,
    env: { ...input.env, ...input.egress?.env },
    network: 'none',
    user: input.user,
    writable: [input.runDir],
    readOnly: input.readOnly,
    hidden: input.hidden,
    limits: input.limits,
    name: input.name,
    isolation: input.isolation,
    signal: input.signal,
    onStdout: (chunk) => send('stdout', out.push(chunk)),
    onStderr: (chunk) => send('stderr', err.push(chunk)),
    onWarning: (message) => send('warning', [message]),
  }).finally(() => {
    send('stdout', out.flush());
    send('stderr', err.flush());
  });
}
