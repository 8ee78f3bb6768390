import { chmod, lchown, lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { SandboxUnavailableError } from './errors.ts';
import type { SandboxUser } from './run-sandboxed.ts';

export interface HandOverPaths {
  /** Directories the sandbox writes: they (and everything in them) become the sandbox user's, mode 0700 at the top. */
  own?: string[];
  /** Paths the sandbox must reach (bound into it): each directory from them up to `root` gets the traverse bit. */
  reach?: string[];
  /** Orchard's home: directories inside it are Orchard's to open; those above it must already be open. */
  root: string;
}

/**
 * Prepares paths for a sandbox that runs as `user` (Orchard as root): bubblewrap runs as that
 * user, so it must be able to walk to what it binds, and the sandbox must own what it writes.
 * Symlinks are never followed (a workspace may hold links planted by an earlier job). Without a
 * user (Orchard not root) there is nothing to do: the sandbox runs as Orchard's own user.
 */
export async function handOverToSandbox(user: SandboxUser | undefined, paths: HandOverPaths): Promise<void> {
  if (!user) return;
  for (const dir of paths.own ?? []) {
    await chownTree(dir, user);
    await chmod(dir, 0o700);
  }
  const root = path.resolve(paths.root);
  for (const target of [...(paths.own ?? []), ...(paths.reach ?? [])]) {
    for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
      const info = await stat(dir);
      const open = (info.mode & 0o001) !== 0 || info.uid === user.uid;
      if (!open) {
        if (dir === root || dir.startsWith(`${root}/`)) await chmod(dir, (info.mode & 0o7777) | 0o001);
        else
          throw new SandboxUnavailableError(
            `The sandbox's user (uid ${user.uid}) cannot enter ${dir}, above Orchard's home ${root}. Run chmod o+x ${dir}, or choose an ORCHARD_HOME outside it.`,
          );
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}

async function chownTree(dir: string, user: SandboxUser) {
  const info = await lstat(dir);
  if (info.uid !== user.uid || info.gid !== user.gid) await lchown(dir, user.uid, user.gid);
  if (!info.isDirectory()) return;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(full, user);
    else await lchown(full, user.uid, user.gid);
  }
}
