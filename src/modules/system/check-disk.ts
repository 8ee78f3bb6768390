import { statfs } from 'node:fs/promises';
import path from 'node:path';
import type { MachineCheck } from './machine-check.ts';

/** Below this, releases, repositories and PostgreSQL soon run out of room. */
export const DISK_WARN_BYTES = 2 * 1024 ** 3;

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/** The home, or its nearest existing parent (a fresh machine has no home yet). */
async function freeBytesAt(dir: string): Promise<{ dir: string; free: number }> {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    try {
      const stats = await statfs(at);
      return { dir: at, free: stats.bavail * stats.bsize };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || at === path.dirname(at)) throw error;
    }
  }
}

export const diskCheck: MachineCheck = {
  id: 'disk',
  title: 'Disk space',
  timeoutMs: 5_000,
  async run(ctx) {
    const { dir, free } = await freeBytesAt(ctx.config.home);
    if (free >= DISK_WARN_BYTES) return { status: 'ok', summary: `${gib(free)} free under ${dir}` };
    return {
      status: 'warn',
      summary: `only ${gib(free)} free under ${dir}: builds, releases and the database need room (at least ${gib(DISK_WARN_BYTES)})`,
      fix: `Free space on that disk (old releases: lower deploy.keepReleases), or move ORCHARD_HOME to a larger disk.`,
    };
  },
};
