import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { MasterKey } from '../secrets/index.ts';
import { BackupArchiveError } from './archive-error.ts';

/**
 * The outer layer of a backup archive: AES-256-GCM in chunks (the STREAM construction of
 * Hoang, Reyhanitabar, Rogaway and Vizár, as `age` uses it), under a key derived from the master key
 * with HKDF and a random salt per archive.
 *
 *   "ORCHARD-BACKUP\n" | u32 header length | header JSON | chunk*
 *   chunk = u32 (ciphertext length | 0x80000000 on the last chunk) | ciphertext | 16-byte tag
 *
 * Each chunk's nonce is its number and the last-chunk flag, and the header is every chunk's AAD,
 * so a changed, reordered, dropped or appended chunk, a truncated file and an edited header all fail
 * to open. The header names the master key by its id and is readable without it.
 */
const MAGIC = Buffer.from('ORCHARD-BACKUP\n');
const LAST = 0x8000_0000;
const TAG_BYTES = 16;
export const CHUNK_BYTES = 1024 * 1024;

export interface ArchiveHeader {
  format: 1;
  /** The master key's id (the first 16 hex digits of its SHA-256). */
  keyId: string;
  /** HKDF salt, base64. */
  salt: string;
  createdAt: string;
  orchardVersion: string;
  chunkBytes: number;
}

function archiveKey(master: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', master, salt, 'orchard backup archive v1', 32));
}

function nonce(counter: number, last: boolean): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(counter), 0);
  iv[8] = last ? 1 : 0;
  return iv;
}

function headerBytes(header: ArchiveHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([MAGIC, length, json]);
}

/** Encrypts a plaintext stream into an archive sealed under `master`. */
export function encryptArchive(master: MasterKey, meta: { createdAt: string; orchardVersion: string }) {
  const salt = randomBytes(32);
  const header: ArchiveHeader = {
    format: 1,
    keyId: master.id,
    salt: salt.toString('base64'),
    createdAt: meta.createdAt,
    orchardVersion: meta.orchardVersion,
    chunkBytes: CHUNK_BYTES,
  };
  const aad = headerBytes(header);
  const key = archiveKey(master.key, salt);
  let counter = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let started = false;

  const seal = (plain: Buffer, last: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(counter++, last));
    cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE((body.length | (last ? LAST : 0)) >>> 0);
    return Buffer.concat([length, body]);
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      if (!started) {
        this.push(aad);
        started = true;
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      // A chunk goes out only once more data follows it: the last one is sealed as the last.
      if (pendingBytes > CHUNK_BYTES) {
        let all = Buffer.concat(pending);
        while (all.length > CHUNK_BYTES) {
          this.push(seal(all.subarray(0, CHUNK_BYTES), false));
          all = all.subarray(CHUNK_BYTES);
        }
        pending = [all];
        pendingBytes = all.length;
      }
      done();
    },
    flush(done: TransformCallback) {
      if (!started) this.push(aad);
      this.push(seal(Buffer.concat(pending), true));
      pending = [];
      done();
    },
  });
}

/** The header at the start of `bytes`, or undefined when more bytes are needed. */
export function parseArchiveHeader(bytes: Buffer): { header: ArchiveHeader; end: number } | undefined {
  if (bytes.length < MAGIC.length + 4) return undefined;
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC))
    throw new BackupArchiveError('This file is not an Orchard backup archive (its first bytes are wrong).');
  const length = bytes.readUInt32BE(MAGIC.length);
  if (length > 64 * 1024) throw new BackupArchiveError('The archive header is damaged (impossible length).');
  const end = MAGIC.length + 4 + length;
  if (bytes.length < end) return undefined;
  let header: ArchiveHeader;
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length + 4, end).toString('utf8')) as ArchiveHeader;
  } catch {
    throw new BackupArchiveError('The archive header is damaged (not JSON).');
  }
  if (header.format !== 1)
    throw new BackupArchiveError(
      `The archive is of format ${String(header.format)}; this Orchard reads format 1. Restore it with the Orchard that made it (${header.orchardVersion}) or a newer one.`,
    );
  if (typeof header.keyId !== 'string' || typeof header.salt !== 'string')
    throw new BackupArchiveError('The archive header is damaged (no key id or salt).');
  return { header, end };
}

/**
 * Decrypts an archive. `keyFor(id)` returns the master key the header names, or throws an error that
 * says which key is needed. Every failure is a BackupArchiveError naming what is wrong and where.
 */
export function decryptArchive(
  keyFor: (id: string) => MasterKey,
  onHeader?: (header: ArchiveHeader) => void,
) {
  let buffered: Buffer = Buffer.alloc(0);
  let offset = 0;
  let aad: Buffer | undefined;
  let key: Buffer | undefined;
  let counter = 0;
  let ended = false;

  const readHeader = (): boolean => {
    const parsed = parseArchiveHeader(buffered);
    if (!parsed) return false;
    aad = buffered.subarray(0, parsed.end);
    key = archiveKey(keyFor(parsed.header.keyId).key, Buffer.from(parsed.header.salt, 'base64'));
    onHeader?.(parsed.header);
    buffered = buffered.subarray(parsed.end);
    offset = parsed.end;
    return true;
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      try {
        buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
        if (!aad && !readHeader()) return done();
        while (buffered.length >= 4) {
          if (ended)
            throw new BackupArchiveError(
              `The archive has data after its end (at byte ${offset}): it was altered.`,
            );
          const word = buffered.readUInt32BE(0);
          const last = (word & LAST) !== 0;
          const length = word & ~LAST;
          if (length < TAG_BYTES || length > CHUNK_BYTES + TAG_BYTES)
            throw new BackupArchiveError(
              `The archive is damaged at byte ${offset} (impossible chunk length).`,
            );
          if (buffered.length < 4 + length) break;
          const body = buffered.subarray(4, 4 + length);
          const decipher = createDecipheriv('aes-256-gcm', key!, nonce(counter, last));
          decipher.setAAD(aad!);
          decipher.setAuthTag(body.subarray(length - TAG_BYTES));
          let plain: Buffer;
          try {
            plain = Buffer.concat([decipher.update(body.subarray(0, length - TAG_BYTES)), decipher.final()]);
          } catch {
            throw new BackupArchiveError(
              `The archive is damaged: chunk ${counter} (bytes ${offset}–${offset + 4 + length}) does not match its checksum.`,
            );
          }
          counter++;
          offset += 4 + length;
          buffered = buffered.subarray(4 + length);
          if (last) ended = true;
          if (plain.length) this.push(plain);
        }
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      if (!aad)
        return done(
          new BackupArchiveError(
            buffered.length ? 'The archive is truncated inside its header.' : 'The archive is empty.',
          ),
        );
      if (!ended || buffered.length)
        return done(
          new BackupArchiveError(
            `The archive is truncated: it ends at byte ${offset + buffered.length} without its last chunk.`,
          ),
        );
      done();
    },
  });
}
