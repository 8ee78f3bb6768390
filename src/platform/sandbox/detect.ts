import { spawnSync } from 'node:child_process';
import { findCgroupParent } from './cgroup.ts';

export interface Isolation {
  /** bubblewrap is installed and can create namespaces on this machine. */
  bubblewrap: boolean;
  /** A cgroup v2 directory Orchard may create job cgroups in (with memory, cpu and pids), or null. */
  cgroupParent: string | null;
}

let cached: Isolation | undefined;

/**
 * What isolation this machine offers. bubblewrap is tried once for real (user namespaces can be
 * disabled even where the binary exists); the answer is cached for the life of the process.
 */
export function detectIsolation(): Isolation {
  if (cached) return cached;
  const probe = spawnSync('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--unshare-net', '--', 'true'], {
    stdio: 'ignore',
    timeout: 5_000,
  });
  const bubblewrap = !probe.error && probe.status === 0;
  cached = { bubblewrap, cgroupParent: findCgroupParent() };
  return cached;
}
