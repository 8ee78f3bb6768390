import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  detectIsolation,
  runSandboxed,
  type SandboxOptions,
  type SandboxResult,
  withSocketRelay,
} from '../../../platform/sandbox/index.ts';
import { describeAttempt } from './egress-proxy.ts';
import { openSandboxEgress, refusalNote } from './sandbox-egress.ts';

/** What a sandboxed agent command may reach, from the session's profile. */
export interface CommandNetwork {
  /** `network.allow`: empty means no network at all, exactly as without this. */
  allow: readonly string[];
  /** Orchard's home: the proxy's socket lives under `work/egress/` (a short path). */
  home: string;
  /** Records the command's connection attempts, one line each, once it has ended. */
  record(lines: string[]): Promise<void>;
}

/**
 * `runSandboxed` with the egress proxy in front of the sandbox when the profile allows hosts: the
 * relay inside carries the proxy's port to it, the proxy variables point every tool there. The
 * result's `note` says what was refused, for the command's output. Unsandboxed (by configuration)
 * the command has the machine's network anyway, and runs as before.
 */
export async function runWithEgress(
  network: CommandNetwork | undefined,
  options: SandboxOptions,
): Promise<SandboxResult & { note: string }> {
  if (!network?.allow.length || !(options.isolation ?? detectIsolation()).bubblewrap)
    return { ...(await runSandboxed(options)), note: '' };
  const egress = await openSandboxEgress({
    allow: network.allow,
    dir: path.join(network.home, 'work', 'egress', randomBytes(6).toString('hex')),
    user: options.user,
    root: network.home,
  });
  let result: SandboxResult;
  try {
    result = await runSandboxed({
      ...options,
      command: withSocketRelay(options.command, [egress.route]),
      env: { ...options.env, ...egress.env },
      readOnly: [...(options.readOnly ?? []), egress.dir],
    });
  } finally {
    await egress.close();
  }
  await network.record(egress.attempts.map(describeAttempt));
  return { ...result, note: refusalNote(egress.attempts) };
}
