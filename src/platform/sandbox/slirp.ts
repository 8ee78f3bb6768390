import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readlink, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SandboxUnavailableError } from './errors.ts';

/** The resolver slirp4netns offers inside the namespace (it forwards to the host's). */
export const SLIRP_RESOLV_CONF = 'nameserver 10.0.2.3\n';
const READY_TIMEOUT_MS = 15_000;

export interface SlirpOptions {
  /** A process inside the network namespace to connect. */
  pid: number;
  /** The namespace belongs to a user namespace of an unprivileged bwrap (Orchard not root). */
  joinUserNamespace: boolean;
  /** Host 127.0.0.1:hostPort is forwarded to the sandbox's guestPort (a deployed app's server). */
  forward?: { hostPort: number; guestPort: number };
}

export interface Slirp {
  stop(): void;
}

/**
 * Gives a sandbox's network namespace outbound access through slirp4netns, a user-mode NAT:
 * the sandbox reaches the internet (package registries) but not the host's loopback
 * (`--disable-host-loopback`): not Orchard's port, not its database, not any local service.
 * slirp4netns itself runs sandboxed and under seccomp, and exits when Orchard does.
 */
export async function attachSlirp(options: SlirpOptions): Promise<Slirp> {
  // Never configure the host's own namespace by mistake (the pid must already be in a new one).
  const [theirs, ours] = await Promise.all([
    readlink(`/proc/${options.pid}/ns/net`).catch(() => ''),
    readlink('/proc/self/ns/net').catch(() => ''),
  ]);
  if (!theirs || theirs === ours)
    throw new SandboxUnavailableError(
      'The sandbox has no network namespace of its own; refusing to attach one.',
    );

  const apiDir = options.forward ? await mkdtemp(path.join(os.tmpdir(), 'orchard-slirp-')) : undefined;
  const apiSocket = apiDir && path.join(apiDir, 'api.sock');
  const args = [
    '--configure',
    '--mtu=65520',
    '--disable-host-loopback',
    '--enable-sandbox',
    '--enable-seccomp',
    '--ready-fd=3',
    '--exit-fd=4',
    ...(apiSocket ? [`--api-socket=${apiSocket}`] : []),
    ...(options.joinUserNamespace ? [`--userns-path=/proc/${options.pid}/ns/user`] : []),
    String(options.pid),
    'tap0',
  ];
  const child = spawn('slirp4netns', args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  for (const stream of child.stdio.slice(3)) stream?.on('error', () => undefined);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const cleanup = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (apiDir) void rm(apiDir, { recursive: true, force: true });
  };
  try {
    await waitReady(child, () => stderr).catch((error: Error) => {
      if (!options.joinUserNamespace) throw error;
      throw new SandboxUnavailableError(
        `${error.message} Orchard is not root, so slirp4netns has to join the sandbox's user namespace, which this machine refuses; run Orchard as root, or let an instance admin set the project's hostNetwork.`,
      );
    });
    if (apiSocket && options.forward) await forwardPort(apiSocket, options.forward);
  } catch (error) {
    cleanup();
    throw error;
  }
  return { stop: cleanup };
}

function waitReady(child: ChildProcess, stderr: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) =>
      reject(
        new SandboxUnavailableError(
          `slirp4netns could not give the sandbox a network (${why})${stderr().trim() ? `: ${lastLine(stderr())}` : ''}.`,
        ),
      );
    const timer = setTimeout(() => fail('no answer'), READY_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      fail((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it is not installed' : error.message);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(`exit ${code}`);
    });
    (child.stdio[3] as NodeJS.ReadableStream).once('data', () => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve();
    });
  });
}

function lastLine(text: string) {
  return text.trim().split('\n').slice(-1)[0] ?? '';
}

/** Asks slirp4netns (its API socket) to forward host 127.0.0.1:hostPort to the sandbox's guestPort. */
function forwardPort(apiSocket: string, forward: { hostPort: number; guestPort: number }): Promise<void> {
  const port = forward.hostPort;
  const request = {
    execute: 'add_hostfwd',
    arguments: { proto: 'tcp', host_addr: '127.0.0.1', host_port: port, guest_port: forward.guestPort },
  };
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = net.connect(apiSocket, () => socket.end(JSON.stringify(request)));
    socket.setTimeout(READY_TIMEOUT_MS, () => socket.destroy(new Error('no answer')));
    socket.on('data', (d) => (answer += d));
    socket.on('error', (error) =>
      reject(
        new SandboxUnavailableError(`Could not forward port ${port} into the sandbox: ${error.message}`),
      ),
    );
    socket.on('close', () => {
      try {
        const parsed = JSON.parse(answer) as { error?: { desc?: string } };
        if (parsed.error)
          reject(
            new SandboxUnavailableError(
              `Could not forward port ${port} into the sandbox: ${parsed.error.desc ?? 'refused'}`,
            ),
          );
        else resolve();
      } catch {
        reject(new SandboxUnavailableError(`Could not forward port ${port} into the sandbox: no answer`));
      }
    });
  });
}
