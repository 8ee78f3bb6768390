import { spawnSync } from 'node:child_process';
import { bubblewrapArgs } from './bubblewrap.ts';
import { findCgroupParent } from './cgroup.ts';

export interface Isolation {
  /** bubblewrap is installed and can make its namespaces here, as an unprivileged user. */
  bubblewrap: boolean;
  /** This bubblewrap can forbid user namespaces inside the sandbox (0.8+). */
  disableUserns: boolean;
  /** slirp4netns is installed: sandboxes with network get one of their own (no host loopback). */
  slirp4netns: boolean;
  /** A cgroup v2 directory Orchard may create job cgroups in (with memory, cpu and pids), or null. */
  cgroupParent: string | null;
  /** Why bubblewrap cannot be used, in bubblewrap's own words (for messages and `orchard doctor`). */
  problem?: string;
}

/** The uid the probe runs as when Orchard is root ("nobody"): the same kind of user jobs run as. */
const PROBE_UID = 65534;

let cached: Isolation | undefined;

/**
 * What isolation this machine offers. bubblewrap is tried once for real, the way jobs run it
 * (user namespaces can be disabled even where the binary exists); the answer is cached for the
 * life of the process.
 */
export function detectIsolation(): Isolation {
  if (cached) return cached;
  const asRoot = process.getuid?.() === 0;
  const probe = (disableUserns: boolean) =>
    spawnSync(
      'bwrap',
      [
        ...bubblewrapArgs({ workspace: '/usr', workspaceReadOnly: true, unshareNet: true, disableUserns }),
        '--',
        'true',
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 10_000,
        ...(asRoot ? { uid: PROBE_UID, gid: PROBE_UID } : {}),
      },
    );
  let result = probe(true);
  let disableUserns = true;
  if (!result.error && result.status !== 0) {
    // bubblewrap before 0.8 has no --disable-userns; nested namespaces still cannot unlock its mounts.
    const older = probe(false);
    if (!older.error && older.status === 0) {
      result = older;
      disableUserns = false;
    }
  }
  const bubblewrap = !result.error && result.status === 0;
  const problem = bubblewrap
    ? undefined
    : result.error
      ? (result.error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'bubblewrap (bwrap) is not installed'
        : result.error.message
      : `bwrap cannot create its namespaces here: ${result.stderr.toString().trim() || `exit ${result.status}`}`;
  const slirp = spawnSync('slirp4netns', ['--version'], { stdio: 'ignore', timeout: 5_000 });
  cached = {
    bubblewrap,
    disableUserns: bubblewrap && disableUserns,
    slirp4netns: !slirp.error && slirp.status === 0,
    cgroupParent: findCgroupParent(),
    problem,
  };
  return cached;
}
