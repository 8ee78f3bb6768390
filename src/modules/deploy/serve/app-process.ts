import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  DEFAULT_PATH,
  handOverToSandbox,
  type Isolation,
  runSandboxed,
  type SandboxNetwork,
  type SandboxResult,
  type SandboxUser,
  type SocketRoute,
} from '../../../platform/sandbox/index.ts';
import { StreamMasker } from '../../secrets/index.ts';
import type { AppLog } from './app-log.ts';

/** Per-app limits, applied when the machine offers cgroup v2. */
const LIMITS = { memoryBytes: 1024 ** 3, cpus: 1, pids: 512 };

export interface StartAppOptions {
  /** The release directory: the app's working directory. */
  workspace: string;
  /** `<home>/data/<slug>/<env>`: the app's persistent, writable place (DATA_DIR). */
  dataDir: string;
  /** Orchard's home (what the sandbox's user may be given a way through). */
  home: string;
  /** Hidden from the app (Orchard's home: keys, database, other projects). */
  hidden: string[];
  /** The project's own unprivileged user (when Orchard is root). */
  user: SandboxUser;
  /** `private` (outbound only, Orchard's proxy reaches its port) or `host` (the project's setting). */
  network: Exclude<SandboxNetwork, 'none'>;
  allowUnsandboxed: boolean;
  start: string;
  port: number;
  /** The app's environment besides PATH, HOME, TMPDIR, PORT and DATA_DIR. */
  env: Record<string, string>;
  /** Secret values: masked in the log. */
  secretValues: string[];
  /** Further paths bound read-only at the same place (the database relay's socket). */
  readOnly?: string[];
  /** Orchard's services on this machine the app reaches on its own 127.0.0.1 (see SandboxOptions). */
  relays?: SocketRoute[];
  releaseId: string;
  log: AppLog;
  name: string;
  isolation?: Isolation;
}

/**
 * One running instance of an app, started in the sandbox with the network on (it is a server)
 * on its own port. `inflight` counts requests the proxy has in progress to it, so a swap can
 * drain it before it is stopped.
 */
export class AppProcess {
  inflight = 0;
  /** Set once Orchard asked it to stop: an exit after that is not a crash. */
  stopping = false;
  readonly startedAt = new Date();
  healthyAt: Date | undefined;
  /** When a proxied request last began or ended (ms since the epoch): how long the app has been idle. */
  lastActiveAt = Date.now();
  result: SandboxResult | undefined;
  readonly exited: Promise<SandboxResult>;
  private readonly controller = new AbortController();
  private idleWaiters: Array<() => void> = [];

  constructor(
    readonly releaseId: string,
    readonly port: number,
    exited: (signal: AbortSignal) => Promise<SandboxResult>,
  ) {
    this.exited = exited(this.controller.signal).then((r) => {
      this.result = r;
      this.releaseIdle();
      return r;
    });
  }

  get running() {
    return this.result === undefined;
  }

  /** Counts a proxied request; call the returned function when it is done. */
  enter(): () => void {
    this.inflight++;
    this.lastActiveAt = Date.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inflight--;
      this.lastActiveAt = Date.now();
      if (this.inflight === 0) this.releaseIdle();
    };
  }

  /** Resolves when no proxied request is in progress (or the process ended), or after `timeoutMs`. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.inflight === 0 || !this.running) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /**
   * Stops the process (its whole process group). The sandbox offers only a hard kill, so callers
   * drain in-flight requests first.
   */
  async stop(): Promise<SandboxResult> {
    this.stopping = true;
    this.controller.abort();
    return this.exited;
  }

  private releaseIdle() {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const fn of waiters) fn();
  }
}

/** Starts an app with `PORT` and `DATA_DIR` in the sandbox; its output goes to the environment's log. */
export async function startAppProcess(options: StartAppOptions): Promise<AppProcess> {
  const home = path.join(options.dataDir, '.home');
  const tmp = path.join(options.dataDir, '.tmp');
  await mkdir(home, { recursive: true });
  await mkdir(tmp, { recursive: true });
  // The data directory is the project's user's alone (0700); the release is only read.
  await handOverToSandbox(options.user, {
    own: [options.dataDir],
    reach: [options.workspace, ...(options.readOnly ?? [])],
    root: options.home,
  });
  const masker = {
    stdout: new StreamMasker(options.secretValues),
    stderr: new StreamMasker(options.secretValues),
  };
  const env: Record<string, string> = {
    LANG: 'C.UTF-8',
    NODE_ENV: 'production',
    ...options.env,
    PATH: DEFAULT_PATH,
    HOME: home,
    TMPDIR: tmp,
    HOST: '127.0.0.1',
    PORT: String(options.port),
    DATA_DIR: options.dataDir,
  };
  let warned = false;
  return new AppProcess(options.releaseId, options.port, (signal) =>
    runSandboxed({
      command: ['sh', '-c', options.start],
      workspace: options.workspace,
      workspaceReadOnly: true,
      env,
      network: options.network,
      exposePort: options.network === 'private' ? options.port : undefined,
      relays: options.relays,
      user: options.user,
      allowUnsandboxed: options.allowUnsandboxed,
      writable: [options.dataDir],
      readOnly: options.readOnly,
      hidden: options.hidden,
      limits: LIMITS,
      name: options.name,
      signal,
      isolation: options.isolation,
      onStdout: (c) => options.log.write('stdout', masker.stdout.push(c.toString('utf8'))),
      onStderr: (c) => options.log.write('stderr', masker.stderr.push(c.toString('utf8'))),
      onWarning: (message) => {
        if (warned) return;
        warned = true;
        options.log.note(`⚠ ${message}`);
      },
    })
      .catch((error: Error): SandboxResult => {
        // The sandbox could not be set up (no bubblewrap, no slirp4netns …): the app never ran.
        options.log.note(`✖ ${error.message}`);
        return {
          exitCode: null,
          signal: null,
          timedOut: false,
          cancelled: false,
          isolation: 'none',
          limited: false,
          error: error.message,
        };
      })
      .then((result) => {
        options.log.write('stdout', masker.stdout.flush());
        options.log.write('stderr', masker.stderr.flush());
        options.log.flush();
        return result;
      }),
  );
}
