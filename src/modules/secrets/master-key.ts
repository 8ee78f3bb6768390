import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import {
  decodeMasterKey,
  type KeySource,
  keyIdOf,
  type MasterKey,
  masterKeyFile,
  oldKeysDir,
  SourcedKeyRing,
} from './key-ring.ts';
import { MasterKeyError } from './master-key-error.ts';

/**
 * The key ring of this process. Without `ORCHARD_MASTER_KEY`, `<home>/master.key` is generated on
 * first start with mode 0600.
 */
export async function openKeyRing(source: KeySource): Promise<SourcedKeyRing> {
  if (!source.masterKey) await ensureMasterKeyFile(source.home);
  return new SourcedKeyRing(source);
}

async function ensureMasterKeyFile(home: string) {
  const file = masterKeyFile(home);
  try {
    const info = await stat(file);
    if ((info.mode & 0o077) !== 0) await chmod(file, 0o600);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(home, { recursive: true });
  // 'wx': never overwrite a key another process wrote a moment ago.
  try {
    await writeKeyFile(file, randomBytes(32));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * One machine: makes a new `<home>/master.key`, keeping the old one readable in
 * `<home>/master-keys/<id>.key` first, so no value is unreadable at any moment. Servers on this
 * home seal with the new key from their next write and read values under either.
 */
export async function installNewMasterKey(
  home: string,
): Promise<{ previous: MasterKey; current: MasterKey }> {
  await ensureMasterKeyFile(home);
  const file = masterKeyFile(home);
  const lock = `${file}.lock`;
  const held = await open(lock, 'wx').catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
    throw new MasterKeyError(
      `Another command is replacing the master key (${lock} exists). If none is running, remove that file and try again.`,
    );
  });
  try {
    const old = decodeMasterKey(await readFile(file, 'utf8'), file);
    const dir = oldKeysDir(home);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const kept = path.join(dir, `${keyIdOf(old)}.key`);
    try {
      await writeKeyFile(kept, old);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!decodeMasterKey(await readFile(kept, 'utf8'), kept).equals(old))
        throw new MasterKeyError(`${kept} holds another key than its name says; move it away and try again.`);
    }
    await syncDir(dir);
    const next = randomBytes(32);
    const temporary = `${file}.${process.pid}.new`;
    await rm(temporary, { force: true });
    await writeKeyFile(temporary, next);
    await rename(temporary, file);
    await syncDir(home);
    return {
      previous: { id: keyIdOf(old), key: old, source: kept },
      current: { id: keyIdOf(next), key: next, source: file },
    };
  } finally {
    await held.close();
    await unlink(lock).catch(() => undefined);
  }
}

/**
 * A restore into a fresh home: makes `<home>/master.key` from a key the operator kept (the key an
 * archive was sealed under). A home that already has a key keeps it; a different one is an error.
 */
export async function installMasterKeyFile(
  home: string,
  keyText: string,
  source: string,
): Promise<MasterKey> {
  const key = decodeMasterKey(keyText, source);
  const file = masterKeyFile(home);
  await mkdir(home, { recursive: true });
  try {
    await writeKeyFile(file, key);
    await syncDir(home);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const present = decodeMasterKey(await readFile(file, 'utf8'), file);
    if (!present.equals(key))
      throw new MasterKeyError(
        `${file} already holds another master key (${keyIdOf(present)}); restore into a fresh home, or move that file away.`,
      );
  }
  return { id: keyIdOf(key), key, source: file };
}

/** Deletes an old key kept in `<home>/master-keys/`; false when there is no such file. */
export async function removeOldKeyFile(home: string, keyId: string): Promise<boolean> {
  const file = path.join(oldKeysDir(home), `${keyId}.key`);
  try {
    if (keyIdOf(decodeMasterKey(await readFile(file, 'utf8'), file)) !== keyId)
      throw new MasterKeyError(`${file} holds another key than its name says; it was left in place.`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  await unlink(file);
  await syncDir(path.dirname(file));
  return true;
}

/** Written whole and flushed before anyone may rely on it; never over an existing file. */
async function writeKeyFile(file: string, key: Buffer) {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(`${key.toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string) {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
