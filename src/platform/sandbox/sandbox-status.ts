import { detectIsolation, type Isolation } from './detect.ts';

export interface SandboxStatus {
  /** Jobs and apps can run (sandboxed, or unsandboxed because the configuration allows it). */
  ok: boolean;
  /** What an operator should know: jobs refused, or running unprotected, or without network. */
  warning?: string;
}

/** The sandbox as `/ready`, `orchard doctor` and the UI report it. */
export function sandboxStatus(
  options: { allowUnsandboxed: boolean },
  isolation: Isolation = detectIsolation(),
): SandboxStatus {
  if (!isolation.bubblewrap) {
    const why = isolation.problem ?? 'bubblewrap is not available';
    return options.allowUnsandboxed
      ? {
          ok: true,
          warning: `Pipeline jobs and deployed apps run WITHOUT a sandbox (sandbox.allowUnsandboxed is on; ${why}): they have full access to this machine. Install bubblewrap (apt-get install bubblewrap) and turn the setting off.`,
        }
      : {
          ok: false,
          warning: `Pipeline jobs and deployed apps are refused: ${why}. Install bubblewrap (apt-get install bubblewrap).`,
        };
  }
  if (!isolation.slirp4netns)
    return {
      ok: true,
      warning:
        'slirp4netns is not installed: jobs with network, builds and deployed apps are refused unless their project shares the host network. Install it (apt-get install slirp4netns).',
    };
  return { ok: true };
}
