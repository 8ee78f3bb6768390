import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const CGROUP2_ROOT = '/sys/fs/cgroup';
const NEEDED = ['memory', 'cpu', 'pids'];

export interface CgroupLimits {
  /** memory.max in bytes. */
  memoryBytes?: number;
  /** CPU quota in cores (1.5 = one and a half cores). */
  cpus?: number;
  /** pids.max. */
  pids?: number;
}

/**
 * Finds a cgroup v2 directory where job cgroups with memory/cpu/pids controllers can be made:
 * `<own cgroup>/orchard-jobs`, enabling the controllers in its subtree. Returns null when the
 * hierarchy is v1, read-only, or the controllers are not delegated to us (common in containers).
 */
export function findCgroupParent(): string | null {
  try {
    if (!existsSync(path.join(CGROUP2_ROOT, 'cgroup.controllers'))) return null;
    const own = readFileSync('/proc/self/cgroup', 'utf8')
      .split('\n')
      .find((line) => line.startsWith('0::'))
      ?.slice(3);
    if (own === undefined) return null;
    const parent = path.join(CGROUP2_ROOT, own, 'orchard-jobs');
    mkdirSync(parent, { recursive: true });
    const available = readFileSync(path.join(parent, 'cgroup.controllers'), 'utf8').split(/\s+/);
    if (!NEEDED.every((c) => available.includes(c))) return null;
    writeFileSync(path.join(parent, 'cgroup.subtree_control'), NEEDED.map((c) => `+${c}`).join(' '));
    return parent;
  } catch {
    return null;
  }
}

export interface JobCgroup {
  dir: string;
  remove(): void;
}

/** Creates a cgroup for one job under `parent` and writes its limits. */
export function createJobCgroup(parent: string, name: string, limits: CgroupLimits): JobCgroup {
  const dir = path.join(parent, name.replace(/[^A-Za-z0-9_-]/g, '_'));
  mkdirSync(dir, { recursive: true });
  if (limits.memoryBytes) {
    writeFileSync(path.join(dir, 'memory.max'), String(limits.memoryBytes));
    // No swap: a job over its memory is killed instead of slowing the machine down.
    if (existsSync(path.join(dir, 'memory.swap.max'))) writeFileSync(path.join(dir, 'memory.swap.max'), '0');
  }
  if (limits.cpus) writeFileSync(path.join(dir, 'cpu.max'), `${Math.round(limits.cpus * 100_000)} 100000`);
  if (limits.pids) writeFileSync(path.join(dir, 'pids.max'), String(limits.pids));
  return {
    dir,
    remove() {
      try {
        // Processes left behind (none after a group kill, normally) are killed before removal.
        if (existsSync(path.join(dir, 'cgroup.kill'))) writeFileSync(path.join(dir, 'cgroup.kill'), '1');
        rmdirSync(dir);
      } catch {}
    },
  };
}
