import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { bubblewrapArgs } from './bubblewrap.ts';
import { type CgroupLimits, createJobCgroup, type JobCgroup } from './cgroup.ts';
import { detectIsolation, type Isolation } from './detect.ts';
import { SandboxUnavailableError } from './errors.ts';
import { relayPort, withPortRelay } from './port-relay.ts';
import { attachSlirp, SLIRP_RESOLV_CONF, type Slirp } from './slirp.ts';
import { type SocketRoute, withSocketRelay } from './socket-relay.ts';

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

/**
 * `none`: loopback only. `private`: outbound access through a user-mode NAT that cannot reach the
 * host's loopback (Orchard, its database, local services). `host`: the host's own network (only
 * where a project's setting allows it).
 */
export type SandboxNetwork = 'none' | 'private' | 'host';

/** The unprivileged user a sandbox runs as when Orchard is root. */
export interface SandboxUser {
  uid: number;
  gid: number;
}

export interface SandboxOptions {
  /** argv of the command. */
  command: string[];
  /** The working directory; writable unless `workspaceReadOnly`. */
  workspace: string;
  workspaceReadOnly?: boolean;
  /** The complete environment of the command (nothing is inherited from Orchard). */
  env: Record<string, string>;
  network?: SandboxNetwork;
  /** With a private network: host 127.0.0.1:port reaches the sandbox's port (apps), whatever address it listens on. */
  exposePort?: number;
  /**
   * Services of Orchard's on this machine that a sandbox with a loopback of its own (`private`,
   * `none`) reaches on its 127.0.0.1:port, through their Unix sockets (bound read-only): the same
   * address as on the host, where (host network, unsandboxed) the port is reached directly.
   */
  relays?: SocketRoute[];
  writable?: string[];
  /** Paths inside a mounted system directory that the command must not see (see bubblewrapArgs). */
  hidden?: string[];
  /** Further read-only paths (a job's git directory). */
  readOnly?: string[];
  /** Required when Orchard runs as root: the sandbox never runs as root. */
  user?: SandboxUser;
  /** Without bubblewrap, run as a plain process instead of refusing (sandbox.allowUnsandboxed). */
  allowUnsandboxed?: boolean;
  limits?: CgroupLimits;
  /** A name for the job's cgroup. */
  name?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  onStdout?(chunk: Buffer): void;
  onStderr?(chunk: Buffer): void;
  /** Called when isolation is weaker than asked (unsandboxed by configuration, no cgroup limits). */
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
  /** Set by callers that turn a refusal to start into a result: why the command never ran. */
  error?: string;
}

const isRoot = () => process.getuid?.() === 0;

/** What to install, or what to set, when the machine cannot isolate a job. */
export function unsandboxedRefusal(isolation: Isolation): string {
  return `Refusing to run without a sandbox: ${isolation.problem ?? 'bubblewrap is not available'}. Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and make sure user namespaces are enabled, or set sandbox.allowUnsandboxed: true to run jobs and apps as plain processes with full access to this machine.`;
}

/**
 * Runs a command isolated, as an unprivileged user: in bubblewrap (see bubblewrapArgs), with a
 * private network through slirp4netns when it needs one, in a job cgroup with limits when one can
 * be made. Without bubblewrap it refuses (`SandboxUnavailableError`) unless `allowUnsandboxed`.
 * The command runs in its own process group; timeout and cancellation kill the whole group.
 */
export async function runSandboxed(options: SandboxOptions): Promise<SandboxResult> {
  const isolation = options.isolation ?? detectIsolation();
  const network = options.network ?? 'none';
  const user = isRoot() ? options.user : undefined;
  if (isRoot() && !user)
    throw new SandboxUnavailableError(
      'Refusing to run a sandboxed command as root: no sandbox user was given.',
    );
  if (!isolation.bubblewrap) {
    if (!options.allowUnsandboxed) throw new SandboxUnavailableError(unsandboxedRefusal(isolation));
    options.onWarning?.(
      `Running without a sandbox (sandbox.allowUnsandboxed is on): ${isolation.problem ?? 'bubblewrap is not available'}. The command has full access to the file system and network${user ? ` of uid ${user.uid}` : ''}.`,
    );
    return spawnPlain(options, isolation, user);
  }
  if (network === 'private' && !isolation.slirp4netns)
    throw new SandboxUnavailableError(
      'This job or app needs network, and slirp4netns, which gives it one without reaching this machine’s own services, is not installed. Install it (Debian/Ubuntu: apt-get install slirp4netns), or let an instance admin turn on the project’s host network setting.',
    );
  return spawnIsolated(options, isolation, network, user);
}

/** The sandbox's extra fds: 3 info (bwrap → us), 4 block (us → bwrap), 5 resolv.conf (us → bwrap). */
const INFO_FD = 3;
const BLOCK_FD = 4;
const RESOLV_FD = 5;

async function spawnIsolated(
  options: SandboxOptions,
  isolation: Isolation,
  network: SandboxNetwork,
  user: SandboxUser | undefined,
): Promise<SandboxResult> {
  const privateNet = network === 'private';
  // As root, the namespace is made (as root) before dropping to the user, so slirp4netns can
  // enter it; otherwise bwrap makes it inside its user namespace and slirp4netns joins both.
  const madeOutside = privateNet && Boolean(user);
  const relays = network === 'host' ? [] : (options.relays ?? []);
  const command = withSocketRelay(options.command, relays);
  const bwrap = [
    'bwrap',
    ...bubblewrapArgs({
      workspace: options.workspace,
      workspaceReadOnly: options.workspaceReadOnly,
      writable: options.writable,
      readOnly: [...(options.readOnly ?? []), ...relays.map((r) => r.socket)],
      hidden: options.hidden,
      unshareNet: network === 'none' || (privateNet && !madeOutside),
      disableUserns: isolation.disableUserns,
      resolvConfFd: privateNet ? RESOLV_FD : undefined,
      infoFd: INFO_FD,
      blockFd: BLOCK_FD,
    }),
    '--',
    ...(privateNet && options.exposePort ? withPortRelay(command, options.exposePort) : command),
  ];
  const argv =
    madeOutside && user
      ? ['unshare', '--net', `--setgid=${user.gid}`, `--setuid=${user.uid}`, '--', ...bwrap]
      : bwrap;
  const stdio: Array<'ignore' | 'pipe'> = ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'];
  if (privateNet) stdio.push('pipe');
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), {
    cwd: '/',
    env: options.env,
    detached: true,
    stdio,
    // Without the unshare step, drop to the user here (libuv also clears supplementary groups).
    ...(user && !madeOutside ? { uid: user.uid, gid: user.gid } : {}),
  });
  // The side channels close (or reset) as the sandbox ends; that is not an error worth a crash.
  for (const stream of child.stdio.slice(INFO_FD)) stream?.on('error', () => undefined);
  if (privateNet) ((child.stdio as unknown as Writable[])[RESOLV_FD] as Writable).end(SLIRP_RESOLV_CONF);

  let cgroup: JobCgroup | undefined;
  let slirp: Slirp | undefined;
  const run = superviseChild(child, options, isolation, () => {
    slirp?.stop();
    cgroup?.remove();
  });
  try {
    const sandboxPid = await readChildPid(child);
    cgroup = joinCgroup(options, isolation, [child.pid!, sandboxPid]);
    if (privateNet)
      slirp = await attachSlirp({
        pid: madeOutside ? child.pid! : sandboxPid,
        joinUserNamespace: !madeOutside,
        forward: options.exposePort
          ? { hostPort: options.exposePort, guestPort: relayPort(options.exposePort) }
          : undefined,
      });
    (child.stdio[BLOCK_FD] as unknown as Writable).end('go');
  } catch (error) {
    killGroup(child);
    await run.catch(() => undefined);
    slirp?.stop();
    cgroup?.remove();
    // bwrap's own complaint (a missing path, no namespaces) says more than "no child pid".
    throw error instanceof SandboxUnavailableError
      ? error
      : new SandboxUnavailableError(`${(error as Error).message}`);
  }
  return { ...(await run), isolation: 'bubblewrap', limited: Boolean(cgroup) };
}

/** bwrap writes `{"child-pid": N}` to the info fd once the sandbox exists (before it runs the command). */
function readChildPid(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    let stderr = '';
    const info = child.stdio[INFO_FD] as unknown as Readable;
    const onErr = (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000));
    child.stderr?.on('data', onErr);
    const done = () => child.stderr?.off('data', onErr);
    info.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /"child-pid"\s*:\s*(\d+)/.exec(text);
      if (match) {
        done();
        resolve(Number(match[1]));
      }
    });
    child.once('close', (code) => {
      done();
      reject(
        new SandboxUnavailableError(
          `The sandbox did not start (exit ${code})${stderr.trim() ? `: ${stderr.trim()}` : ''}`,
        ),
      );
    });
    child.once('error', (error) => {
      done();
      reject(
        new SandboxUnavailableError(
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? `The sandbox could not start: ${(error as NodeJS.ErrnoException).path ?? 'a program'} is not installed.`
            : `The sandbox could not start: ${error.message}`,
        ),
      );
    });
  });
}

/**
 * Orchard moves the sandbox's first processes into the job cgroup itself (the unprivileged user
 * could not), before the command starts, so everything it forks stays within the limits.
 */
function joinCgroup(options: SandboxOptions, isolation: Isolation, pids: number[]): JobCgroup | undefined {
  const wantsLimits = Boolean(options.limits && Object.values(options.limits).some(Boolean));
  if (!wantsLimits) return undefined;
  if (!isolation.cgroupParent) {
    options.onWarning?.(
      'cgroup v2 limits are not available on this machine: memory, cpu and pids are not limited.',
    );
    return undefined;
  }
  let cgroup: JobCgroup | undefined;
  try {
    cgroup = createJobCgroup(
      isolation.cgroupParent,
      options.name ?? `job-${process.pid}-${Date.now()}`,
      options.limits!,
    );
    for (const pid of pids) writeFileSync(path.join(cgroup.dir, 'cgroup.procs'), String(pid));
    return cgroup;
  } catch (error) {
    cgroup?.remove();
    options.onWarning?.(
      `Could not put the job in a cgroup (${(error as Error).message}); it runs without limits.`,
    );
    return undefined;
  }
}

/** Without bubblewrap, by configuration only: a plain child process (as the sandbox user when root). */
function spawnPlain(
  options: SandboxOptions,
  isolation: Isolation,
  user: SandboxUser | undefined,
): Promise<SandboxResult> {
  let argv = options.command;
  let cgroup: JobCgroup | undefined;
  const wantsLimits = Boolean(options.limits && Object.values(options.limits).some(Boolean));
  if (wantsLimits && isolation.cgroupParent && !user) {
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
    options.onWarning?.('cgroup v2 limits are not available here: memory, cpu and pids are not limited.');
  }
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: options.workspace,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  return superviseChild(child, options, isolation, () => cgroup?.remove()).then((r) => ({
    ...r,
    isolation: 'none' as const,
    limited: Boolean(cgroup),
  }));
}

function killGroup(child: ChildProcess) {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {}
}

/** Output, timeout, cancellation and the end of a sandboxed child. */
function superviseChild(
  child: ChildProcess,
  options: SandboxOptions,
  _isolation: Isolation,
  cleanup: () => void,
): Promise<Omit<SandboxResult, 'isolation' | 'limited'>> {
  return new Promise((resolve) => {
    let timedOut = false;
    let cancelled = false;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          killGroup(child);
        }, options.timeoutMs)
      : undefined;
    const onAbort = () => {
      cancelled = true;
      killGroup(child);
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout?.on('data', (c: Buffer) => options.onStdout?.(c));
    child.stderr?.on('data', (c: Buffer) => options.onStderr?.(c));
    let done = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      cleanup();
      resolve({ exitCode, signal, timedOut, cancelled });
    };
    child.on('error', (error) => {
      options.onStderr?.(Buffer.from(`${error.message}\n`));
      finish(127, null);
    });
    // Background processes the command left in its group must not outlive it (nor hold its pipes open).
    child.on('exit', () => killGroup(child));
    child.on('close', finish);
  });
}
