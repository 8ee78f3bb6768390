import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * What a sandbox sees of the host, read-only: the system's programs and libraries and `/etc`
 * (permissions still apply: `/etc/shadow` stays unreadable to the sandbox's user), plus Node's own
 * install when it lives elsewhere. Nothing else of the host is mounted (not `/root`, `/home`,
 * `/var`, `/run`, nor Orchard's home), so nothing there can be uncovered from inside.
 */
const SYSTEM_DIRS = ['/usr', '/etc', '/opt'];
/** Merged-/usr systems make these symlinks; others have real directories. */
const SYSTEM_LINKS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

export interface SystemMount {
  kind: 'ro-bind' | 'symlink';
  /** For a symlink: its target; for a bind: the host path. */
  source: string;
  dest: string;
}

let cached: SystemMount[] | undefined;

export function systemMounts(): SystemMount[] {
  if (cached) return cached;
  const mounts: SystemMount[] = [];
  for (const dir of SYSTEM_DIRS)
    if (existsSync(dir)) mounts.push({ kind: 'ro-bind', source: dir, dest: dir });
  for (const link of SYSTEM_LINKS) {
    if (!existsSync(link)) continue;
    const info = lstatSync(link);
    if (info.isSymbolicLink()) mounts.push({ kind: 'symlink', source: readlinkSync(link), dest: link });
    else if (info.isDirectory()) mounts.push({ kind: 'ro-bind', source: link, dest: link });
  }
  // Node installed outside the system directories (a version manager, a tarball in /srv …).
  const nodePrefix = path.dirname(path.dirname(process.execPath));
  if (
    !isWithin(
      nodePrefix,
      mounts.filter((m) => m.kind === 'ro-bind').map((m) => m.dest),
    )
  )
    mounts.push({ kind: 'ro-bind', source: nodePrefix, dest: nodePrefix });
  cached = mounts;
  return mounts;
}

/** True when `target` is one of `roots` or inside one. */
export function isWithin(target: string, roots: string[]): boolean {
  const resolved = path.resolve(target);
  return roots.some((root) => resolved === root || resolved.startsWith(`${root}/`));
}

/**
 * Where /etc/resolv.conf really is: a systemd host makes it a symlink into /run, which the
 * sandbox does not mount, so a replacement is bound at the link's target.
 */
export function resolvConfPath(): string {
  const file = '/etc/resolv.conf';
  try {
    if (!lstatSync(file).isSymbolicLink()) return file;
    try {
      return realpathSync(file);
    } catch {
      return path.resolve('/etc', readlinkSync(file));
    }
  } catch {
    return file;
  }
}
