import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { fixedKeyRing, type KeyRing } from './key-ring.ts';
import { missingKeyError } from './master-key-error.ts';

export interface Sealed {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
  keyId: string;
}

/**
 * AES-256-GCM under a ring of master keys: values are sealed with the current key and opened with
 * whichever key their `keyId` names. The AAD binds each value to its place (project and name).
 */
export class Vault {
  readonly ring: KeyRing;

  constructor(keys: Buffer | KeyRing) {
    this.ring = Buffer.isBuffer(keys) ? fixedKeyRing(keys) : keys;
  }

  /** The id of the key new values are sealed with. */
  get keyId(): string {
    return this.ring.current().id;
  }

  seal(plaintext: string, aad: string): Sealed {
    const { id, key } = this.ring.current();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(aad));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext, iv, authTag: cipher.getAuthTag(), keyId: id };
  }

  /** Throws MasterKeyError (503, naming the key id and what to do) for a key this process lacks. */
  open(sealed: Sealed, aad: string): string {
    const found = this.ring.find(sealed.keyId);
    if (!found)
      throw missingKeyError(
        sealed.keyId,
        this.ring.all().map((k) => k.id),
        this.ring.configured,
      );
    const decipher = createDecipheriv('aes-256-gcm', found.key, sealed.iv);
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(sealed.authTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  }
}
