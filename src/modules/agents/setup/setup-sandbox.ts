/**
 * The sandbox Orchard runs a session's setup in, and the archiving of what setup made: the same
 * sandbox as the agent's own commands (bubblewrap as the project's unprivileged user, the
 * workspace writable, the worktree's git directory read-only, Orchard's home hidden), so setup
 * can do nothing the agent could not, and no file it made is ever read or written by Orchard's
 * own user through a path the sandbox controlled.
 */
import path from 'node:path';
import {
  DEFAULT_PATH,
  runSandboxed,
  type SandboxOptions,
  type SandboxResult,
  type SandboxUser,
} from '../../../platform/sandbox/index.ts';
import { type CommandNetwork, runWithEgress } from '../egress/run-with-egress.ts';

export interface SetupSandbox {
  workspace: string;
  /** The bare repository (read-only: git in the workspace reads its objects). */
  repo: string;
  /** Orchard's home (hidden when it lies inside a system directory the sandbox mounts). */
  home: string;
  user?: SandboxUser;
  allowUnsandboxed: boolean;
  /**
   * Setup commands' network: what the agent's commands get (the hosts of `network.allow`, through
   * the egress proxy; none without it). Archiving never has any.
   */
  egress?: CommandNetwork;
}

export interface SandboxRun {
  command: string[];
  env: Record<string, string>;
  /** Give the run the box's egress (setup commands; never archiving). */
  withEgress?: boolean;
  workspaceReadOnly?: boolean;
  writable?: string[];
  readOnly?: string[];
  timeoutMs: number;
  signal: AbortSignal;
  onOutput?: (chunk: Buffer) => void;
}

export function runInSetupSandbox(box: SetupSandbox, run: SandboxRun): Promise<SandboxResult> {
  const options: SandboxOptions = {
    command: run.command,
    workspace: box.workspace,
    workspaceReadOnly: run.workspaceReadOnly,
    env: run.env,
    network: 'none',
    user: box.user,
    allowUnsandboxed: box.allowUnsandboxed,
    writable: run.writable,
    readOnly: [box.repo, ...(run.readOnly ?? [])],
    hidden: [box.home],
    timeoutMs: run.timeoutMs,
    signal: run.signal,
    onStdout: run.onOutput,
    onStderr: run.onOutput,
  };
  return run.withEgress && box.egress ? runWithEgress(box.egress, options) : runSandboxed(options);
}

/** Orchard's variables in the sandbox, for a run whose private HOME and TMPDIR are under `dir`. */
export function sandboxBaseEnv(dir: string): Record<string, string> {
  return {
    PATH: DEFAULT_PATH,
    HOME: path.join(dir, 'home'),
    TMPDIR: path.join(dir, 'tmp'),
    LANG: 'C.UTF-8',
    CI: 'true',
    // The worktree's git directory is Orchard's and read-only in the sandbox: git must not refuse it.
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'safe.directory',
    GIT_CONFIG_VALUE_0: '*',
  };
}
