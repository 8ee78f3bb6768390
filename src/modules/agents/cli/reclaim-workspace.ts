import { lchown, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Gives the workspace back to Orchard's own user after a sandbox (another uid, when Orchard is
 * root) wrote to it: git refuses to commit in a worktree another user owns. Symlinks the agent
 * left are changed themselves, never followed.
 */
export async function reclaimWorkspace(dir: string): Promise<void> {
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  if (uid === undefined || gid === undefined) return;
  const walk = async (target: string) => {
    const info = await lstat(target);
    if (info.uid !== uid || info.gid !== gid) await lchown(target, uid, gid);
    if (!info.isDirectory()) return;
    for (const entry of await readdir(target)) await walk(path.join(target, entry));
  };
  await walk(dir);
}
