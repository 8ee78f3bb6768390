import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { MasterKeyError } from './master-key-error.ts';

export interface MasterKey {
  /** The first 16 hex digits of the key's SHA-256: stored beside every value sealed under it. */
  id: string;
  key: Buffer;
  /** Where it came from (`ORCHARD_MASTER_KEY`, a file's path), for status and messages; never the key. */
  source: string;
}

/** The keys a process seals and opens values with. */
export interface KeyRing {
  /** The key new values are sealed with. */
  current(): MasterKey;
  /** The key `id` names; an id not known yet makes the ring read its sources again once. */
  find(id: string): MasterKey | undefined;
  /** Every key known, the current one first. */
  all(): MasterKey[];
  /** True when the current key is configured (ORCHARD_MASTER_KEY), false for `<home>/master.key`. */
  readonly configured: boolean;
}

/** Where the keys of a process come from (config keys `masterKey`, `otherMasterKeys`, `home`). */
export interface KeySource {
  masterKey?: string;
  otherMasterKeys: string[];
  home: string;
}

export const masterKeyFile = (home: string) => path.join(home, 'master.key');
/** Keys kept for reading after `<home>/master.key` was replaced, one `<id>.key` file each. */
export const oldKeysDir = (home: string) => path.join(home, 'master-keys');

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export function decodeMasterKey(text: string, source: string): Buffer {
  const key = Buffer.from(text.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32)
    throw new MasterKeyError(
      `The master key in ${source} must be 32 bytes, base64 encoded (openssl rand -base64 32).`,
    );
  return key;
}

const masterKey = (key: Buffer, source: string): MasterKey => ({ id: keyIdOf(key), key, source });

/** A ring of keys given in code (tests, tools): the first seals, all open. */
export function fixedKeyRing(current: Buffer, others: Buffer[] = []): KeyRing {
  if (current.length !== 32) throw new Error('The master key must be exactly 32 bytes.');
  const keys = [current, ...others].map((k) => masterKey(k, 'given'));
  return {
    configured: true,
    current: () => keys[0]!,
    find: (id) => keys.find((k) => k.id === id),
    all: () => [...keys],
  };
}

/**
 * The ring of a server or CLI command: the current key from ORCHARD_MASTER_KEY or
 * `<home>/master.key`; readable keys from ORCHARD_OTHER_MASTER_KEYS and `<home>/master-keys/`.
 * The sources are read again when a value names a key not known yet, and (file mode) before a
 * seal when `master.key` was replaced, so `rotate-key --new-key` on this machine reaches a running
 * server without a restart. A key once known stays known for the life of the process.
 */
export class SourcedKeyRing implements KeyRing {
  private readonly keys = new Map<string, MasterKey>();
  private currentKey!: MasterKey;
  private stamp: string | undefined;

  constructor(private readonly source: KeySource) {
    this.load();
  }

  get configured() {
    return Boolean(this.source.masterKey);
  }

  current(): MasterKey {
    if (!this.configured && fileStamp(masterKeyFile(this.source.home)) !== this.stamp) this.load();
    return this.currentKey;
  }

  find(id: string): MasterKey | undefined {
    const known = this.keys.get(id);
    if (known) return known;
    this.load();
    return this.keys.get(id);
  }

  all(): MasterKey[] {
    return [this.currentKey, ...[...this.keys.values()].filter((k) => k.id !== this.currentKey.id)];
  }

  private load() {
    const { masterKey: configured, otherMasterKeys, home } = this.source;
    let current: MasterKey;
    if (configured)
      current = masterKey(decodeMasterKey(configured, 'ORCHARD_MASTER_KEY'), 'ORCHARD_MASTER_KEY');
    else {
      const file = masterKeyFile(home);
      this.stamp = fileStamp(file);
      current = masterKey(decodeMasterKey(readKeyFile(file), file), file);
    }
    const others = otherMasterKeys.map((text) =>
      masterKey(decodeMasterKey(text, 'ORCHARD_OTHER_MASTER_KEYS'), 'ORCHARD_OTHER_MASTER_KEYS'),
    );
    for (const file of keyFiles(oldKeysDir(home)))
      others.push(masterKey(decodeMasterKey(readKeyFile(file), file), file));
    this.currentKey = current;
    this.keys.set(current.id, current);
    for (const key of others) if (!this.keys.has(key.id)) this.keys.set(key.id, key);
  }
}

function readKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new MasterKeyError(`Cannot read the master key file ${file}: ${(error as Error).message}`);
  }
}

function keyFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.key'))
      .sort()
      .map((name) => path.join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new MasterKeyError(
      `Cannot read the directory of old master keys ${dir}: ${(error as Error).message}`,
    );
  }
}

/** Identifies one version of a file; a rename over it (a new key) changes the inode. */
function fileStamp(file: string): string | undefined {
  try {
    const info = statSync(file);
    return `${info.ino}/${info.mtimeMs}/${info.size}`;
  } catch {
    return undefined;
  }
}
