import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { handOverToSandbox, type SandboxUser, type SocketRoute } from '../../../platform/sandbox/index.ts';
import { EGRESS_PORT, egressEnvironment } from './egress-environment.ts';
import { type EgressAttempt, type EgressProxyOptions, openEgressProxy } from './egress-proxy.ts';

/** The egress proxy of one sandboxed run, as the sandbox is set up with it. */
export interface SandboxEgress {
  /** The socket relay's route to the proxy (see withSocketRelay). */
  route: SocketRoute;
  /** The proxy variables for the sandbox's environment. */
  env: Record<string, string>;
  /** The directory of the proxy's socket, to bind into the sandbox when it is not bound already. */
  dir: string;
  /** Every connection the sandbox asked for so far, in order. */
  attempts: EgressAttempt[];
  close(): Promise<void>;
}

export interface SandboxEgressOptions
  extends Pick<EgressProxyOptions, 'allow' | 'onAttempt' | 'resolve' | 'refuseAddress'> {
  /** A directory of the run's own (created, and removed on close). Keep its path short: a socket path has a limit of 108 bytes. */
  dir: string;
  /** The sandbox's user (Orchard as root) and Orchard's home, so that user can walk to the socket. */
  user?: SandboxUser;
  root?: string;
}

/** Opens the egress proxy for a sandboxed run; close it when the run ends. */
export async function openSandboxEgress(options: SandboxEgressOptions): Promise<SandboxEgress> {
  await mkdir(options.dir, { recursive: true, mode: 0o755 });
  const attempts: EgressAttempt[] = [];
  try {
    const socket = path.join(options.dir, 'egress.sock');
    const proxy = await openEgressProxy({
      ...options,
      socketPath: socket,
      onAttempt: (attempt) => {
        attempts.push(attempt);
        options.onAttempt?.(attempt);
      },
    });
    // As root the sandbox runs as another user, who must be able to walk to the socket.
    if (options.root && process.getuid?.() === 0)
      await handOverToSandbox(options.user, { reach: [socket], root: options.root });
    return {
      route: { port: EGRESS_PORT, socket },
      env: egressEnvironment(EGRESS_PORT),
      dir: options.dir,
      attempts,
      async close() {
        await proxy.close();
        await rm(options.dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(options.dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * What a command's reader (the agent) is told after its output when the proxy refused something:
 * the tools themselves say little more than "403" (curl: "CONNECT tunnel failed, response 403").
 */
export function refusalNote(attempts: readonly EgressAttempt[]): string {
  const refused = [
    ...new Set(
      attempts.filter((a) => a.outcome === 'refused').map((a) => `${a.host}:${a.port} (${a.reason})`),
    ),
  ];
  if (!refused.length) return '';
  const unlisted = attempts.some((a) => a.outcome === 'refused' && a.reason === 'not in network.allow');
  return `\n[Orchard refused network access to ${refused.join(', ')}.${unlisted ? ' Only the hosts in network.allow of .orchard/agent.yml (on the default branch) are reachable; ask for a host to be added there if the task needs it.' : ''}]\n`;
}
