import { chmod, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Where a listener that sandboxed apps reach (through the sandbox's socket relay) puts its Unix
 * socket: a fresh directory others may enter, under the system's temporary directory (socket paths
 * are limited to about 100 bytes). The caller removes `dir` when it closes.
 */
export async function sharedSocketPath(
  prefix: string,
  name: string,
): Promise<{ dir: string; socket: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `orchard-${prefix}-`));
  await chmod(dir, 0o755);
  return { dir, socket: path.join(dir, name) };
}

/** Once listening: sandboxed apps run as other users, so they must be able to connect (their login is the check). */
export async function shareSocket(socket: string): Promise<void> {
  await chmod(socket, 0o666);
}
