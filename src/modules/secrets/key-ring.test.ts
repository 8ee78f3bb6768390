import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedKeyRing, keyIdOf, masterKeyFile, oldKeysDir } from './key-ring.ts';
import { installNewMasterKey, openKeyRing, removeOldKeyFile } from './master-key.ts';
import { MasterKeyError } from './master-key-error.ts';
import { Vault } from './vault.ts';

const home = () => mkdtemp(path.join(tmpdir(), 'orchard-keys-'));
const b64 = (key: Buffer) => key.toString('base64');

describe('one machine: <home>/master.key and <home>/master-keys/', () => {
  it('generates the key once (0600) and every process on the home reads the same one', async () => {
    const dir = await home();
    const a = new Vault(await openKeyRing({ otherMasterKeys: [], home: dir }));
    const b = new Vault(await openKeyRing({ otherMasterKeys: [], home: dir }));
    expect(a.keyId).toBe(b.keyId);
    expect((await stat(masterKeyFile(dir))).mode & 0o777).toBe(0o600);
    expect(b.open(a.seal('value', 'p/A'), 'p/A')).toBe('value');
  });

  it('a running server follows a new key on disk: seals with it at once, still opens the old values', async () => {
    const dir = await home();
    const server = new Vault(await openKeyRing({ otherMasterKeys: [], home: dir }));
    const before = server.seal('sealed before', 'p/OLD');
    const { previous, current } = await installNewMasterKey(dir);
    expect(previous.id).toBe(before.keyId);
    expect((await stat(path.join(oldKeysDir(dir), `${previous.id}.key`))).mode & 0o777).toBe(0o600);
    // Another process (the CLI) re-seals a value under the new key…
    const cli = new Vault(await openKeyRing({ otherMasterKeys: [], home: dir }));
    expect(cli.keyId).toBe(current.id);
    const resealed = cli.seal(cli.open(before, 'p/OLD'), 'p/OLD');
    // …and the server, which never restarted, reads both and seals new values with the new key.
    expect(server.open(resealed, 'p/OLD')).toBe('sealed before');
    expect(server.open(before, 'p/OLD')).toBe('sealed before');
    expect(server.seal('new', 'p/NEW').keyId).toBe(current.id);
    // The key file never holds anything but one whole key.
    expect(keyIdOf(Buffer.from((await readFile(masterKeyFile(dir), 'utf8')).trim(), 'base64'))).toBe(
      current.id,
    );
    expect((await readdir(dir)).filter((f) => f.includes('.new') || f.endsWith('.lock'))).toEqual([]);
  });

  it('retiring an old key deletes its file only, and refuses a file whose key is not its name', async () => {
    const dir = await home();
    await openKeyRing({ otherMasterKeys: [], home: dir });
    const { previous } = await installNewMasterKey(dir);
    expect(await removeOldKeyFile(dir, previous.id)).toBe(true);
    expect(await removeOldKeyFile(dir, previous.id)).toBe(false);
    const liar = path.join(oldKeysDir(dir), '0000000000000000.key');
    await writeFile(liar, b64(randomBytes(32)));
    await expect(removeOldKeyFile(dir, '0000000000000000')).rejects.toThrow('another key than its name');
    await stat(liar);
  });

  it('names a damaged key file, without its content', async () => {
    const dir = await home();
    await openKeyRing({ otherMasterKeys: [], home: dir });
    await installNewMasterKey(dir);
    const bad = path.join(oldKeysDir(dir), 'bad.key');
    await writeFile(bad, 'c2hvcnQ=\n');
    const error = await openKeyRing({ otherMasterKeys: [], home: dir }).catch((e) => e);
    expect(error).toBeInstanceOf(MasterKeyError);
    expect(error.message).toContain(bad);
    expect(error.message).not.toContain('c2hvcnQ');
  });
});

describe('several servers: ORCHARD_MASTER_KEY and ORCHARD_OTHER_MASTER_KEYS', () => {
  const A = randomBytes(32);
  const B = randomBytes(32);

  it('a server without the key a value names answers what is missing and what to do, never the key', async () => {
    const dir = await home();
    const withB = new Vault(fixedKeyRing(B, [A]));
    const sealed = withB.seal('value', 'p/X');
    const onlyA = new Vault(await openKeyRing({ masterKey: b64(A), otherMasterKeys: [], home: dir }));
    const error = (() => {
      try {
        onlyA.open(sealed, 'p/X');
      } catch (e) {
        return e as MasterKeyError;
      }
    })();
    expect(error).toBeInstanceOf(MasterKeyError);
    expect(error?.status).toBe(503);
    expect(error?.message).toContain(`master key ${keyIdOf(B)}`);
    expect(error?.message).toContain('ORCHARD_OTHER_MASTER_KEYS');
    for (const key of [A, B]) {
      expect(error?.message).not.toContain(b64(key));
      expect(error?.message).not.toContain(key.toString('hex'));
    }
    // Introduced as a key it may read (docs step 1), the same value opens; new values stay under A.
    const introduced = new Vault(
      await openKeyRing({ masterKey: b64(A), otherMasterKeys: [b64(B)], home: dir }),
    );
    expect(introduced.open(sealed, 'p/X')).toBe('value');
    expect(introduced.keyId).toBe(keyIdOf(A));
    expect(introduced.ring.all().map((k) => k.source)).toEqual([
      'ORCHARD_MASTER_KEY',
      'ORCHARD_OTHER_MASTER_KEYS',
    ]);
  });
});
