/** Run a command isolated: bubblewrap as an unprivileged user, a private network through slirp4netns, cgroup v2 limits when writable. */
export { type BubblewrapOptions, bubblewrapArgs } from './bubblewrap.ts';
export type { CgroupLimits } from './cgroup.ts';
export { detectIsolation, type Isolation } from './detect.ts';
export { SandboxUnavailableError } from './errors.ts';
export { type HandOverPaths, handOverToSandbox } from './hand-over.ts';
export {
  DEFAULT_PATH,
  runSandboxed,
  type SandboxNetwork,
  type SandboxOptions,
  type SandboxResult,
  type SandboxUser,
  unsandboxedRefusal,
} from './run-sandboxed.ts';
export { type SandboxStatus, sandboxStatus } from './sandbox-status.ts';
export { type SocketRoute, withSocketRelay } from './socket-relay.ts';
