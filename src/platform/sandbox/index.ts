/** Run a command isolated: bubblewrap when present, cgroup v2 limits when writable. */
export { type BubblewrapOptions, bubblewrapArgs } from './bubblewrap.ts';
export type { CgroupLimits } from './cgroup.ts';
export { detectIsolation, type Isolation } from './detect.ts';
export { DEFAULT_PATH, runSandboxed, type SandboxOptions, type SandboxResult } from './run-sandboxed.ts';
