import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The master key: `ORCHARD_MASTER_KEY` (base64 of 32 bytes) when set, else `<home>/master.key`,
 * generated on first start with mode 0600.
 */
export async function loadMasterKey(configured: string | undefined, home: string): Promise<Buffer> {
  if (configured) return decode(configured, 'ORCHARD_MASTER_KEY');
  const file = path.join(home, 'master.key');
  try {
    const info = await stat(file);
    if ((info.mode & 0o077) !== 0) await chmod(file, 0o600);
    return decode((await readFile(file, 'utf8')).trim(), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(home, { recursive: true });
  const key = randomBytes(32);
  // 'wx': never overwrite a key another process wrote a moment ago.
  try {
    await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return decode((await readFile(file, 'utf8')).trim(), file);
    throw error;
  }
}

function decode(text: string, source: string): Buffer {
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32)
    throw new Error(
      `The master key in ${source} must be 32 bytes, base64 encoded (openssl rand -base64 32).`,
    );
  return key;
}
