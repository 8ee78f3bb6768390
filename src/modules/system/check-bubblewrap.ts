import { detectIsolation, sandboxStatus } from '../../platform/sandbox/index.ts';
import type { MachineCheck } from './machine-check.ts';
import { findTool } from './run-tool.ts';

export const bubblewrapCheck: MachineCheck = {
  id: 'bubblewrap',
  title: 'bubblewrap',
  timeoutMs: 10_000,
  async run(ctx) {
    const bwrap = await findTool('bwrap', ctx.env);
    // Without it, jobs are refused, unless the configuration runs them unprotected on purpose.
    const missing = ctx.config.sandbox.allowUnsandboxed ? 'warn' : 'fail';
    if (ctx.config.sandbox.allowUnsandboxed && (!bwrap || !detectIsolation().bubblewrap)) {
      return {
        status: missing,
        summary: sandboxStatus({ allowUnsandboxed: true }, { ...detectIsolation(), bubblewrap: false })
          .warning!,
        fix: 'Install bubblewrap (apt-get install bubblewrap), then set sandbox.allowUnsandboxed: false.',
      };
    }
    if (!bwrap) {
      return {
        status: 'fail',
        summary: 'bubblewrap is missing: pipeline jobs, builds and apps cannot run in a sandbox',
        fix: 'Install it with: apt-get install bubblewrap',
      };
    }
    // Present is not enough: user namespaces may be disabled (containers, hardened kernels).
    if (!detectIsolation().bubblewrap) {
      return {
        status: 'fail',
        summary: `${bwrap} cannot create namespaces here: pipeline jobs, builds and apps cannot be sandboxed`,
        fix: 'Allow user namespaces: sysctl -w kernel.unprivileged_userns_clone=1 (Debian) or kernel.apparmor_restrict_unprivileged_userns=0 (Ubuntu); in a container, allow them in its seccomp and AppArmor profiles.',
      };
    }
    return { status: 'ok', summary: `bubblewrap can create namespaces (${bwrap})` };
  },
};
