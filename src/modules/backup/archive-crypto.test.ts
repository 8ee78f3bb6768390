import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { fixedKeyRing } from '../secrets/index.ts';
import { CHUNK_BYTES, decryptArchive, encryptArchive } from './archive-crypto.ts';

const ring = fixedKeyRing(randomBytes(32));
const meta = { createdAt: '2026-12-06T00:00:00.000Z', orchardVersion: 'test' };

async function seal(plain: Buffer): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from([plain]), encryptArchive(ring.current(), meta), async (source) => {
    for await (const chunk of source) out.push(chunk as Buffer);
  });
  return Buffer.concat(out);
}

async function open(sealed: Buffer, keys = ring): Promise<Buffer> {
  const out: Buffer[] = [];
  const find = (id: string) => {
    const key = keys.find(id);
    if (!key) throw new Error(`no key ${id}`);
    return key;
  };
  // Fed in odd-sized pieces, as a file stream might.
  const pieces: Buffer[] = [];
  for (let at = 0; at < sealed.length; at += 7777) pieces.push(sealed.subarray(at, at + 7777));
  await pipeline(Readable.from(pieces), decryptArchive(find), async (source) => {
    for await (const chunk of source) out.push(chunk as Buffer);
  });
  return Buffer.concat(out);
}

/** Offsets of each chunk's length word, after the header. */
function chunkOffsets(sealed: Buffer): number[] {
  const headerEnd = 'ORCHARD-BACKUP\n'.length + 4 + sealed.readUInt32BE('ORCHARD-BACKUP\n'.length);
  const offsets: number[] = [];
  for (let at = headerEnd; at < sealed.length; ) {
    offsets.push(at);
    at += 4 + (sealed.readUInt32BE(at) & 0x7fffffff);
  }
  return offsets;
}

describe('backup archive encryption', () => {
  const plain = randomBytes(CHUNK_BYTES * 2 + 12345);

  it('round-trips any length, empty and exactly one chunk included', async () => {
    for (const body of [Buffer.alloc(0), randomBytes(CHUNK_BYTES), plain])
      expect((await open(await seal(body))).equals(body)).toBe(true);
  });

  it('shows no plaintext and no key', async () => {
    const marker = Buffer.from('sk_live_do_not_leak_this_value');
    const sealed = await seal(Buffer.concat([marker, plain]));
    expect(sealed.includes(marker)).toBe(false);
    expect(sealed.includes(ring.current().key)).toBe(false);
  });

  it('refuses a changed byte, a dropped, swapped or duplicated chunk, a cut end, appended bytes and an edited header', async () => {
    const sealed = await seal(plain);
    const [first, second, third] = chunkOffsets(sealed) as [number, number, number];
    const flipped = Buffer.from(sealed);
    flipped[second + 100]! ^= 1;
    await expect(open(flipped)).rejects.toThrow(/damaged: chunk 1 .* does not match its checksum/);
    const dropped = Buffer.concat([sealed.subarray(0, second), sealed.subarray(third)]);
    await expect(open(dropped)).rejects.toThrow(/does not match its checksum/);
    const swapped = Buffer.concat([
      sealed.subarray(0, first),
      sealed.subarray(second, third),
      sealed.subarray(first, second),
      sealed.subarray(third),
    ]);
    await expect(open(swapped)).rejects.toThrow(/does not match its checksum/);
    await expect(open(sealed.subarray(0, third))).rejects.toThrow(/truncated/);
    await expect(open(Buffer.concat([sealed, sealed.subarray(third)]))).rejects.toThrow(/after its end/);
    const header = Buffer.from(sealed);
    const at = header.indexOf('"orchardVersion":"test"');
    header.write('"orchardVersion":"tesT"', at);
    await expect(open(header)).rejects.toThrow(/chunk 0 .* does not match its checksum/);
    await expect(open(Buffer.from('not an archive at all'))).rejects.toThrow(/not an Orchard backup archive/);
  });

  it('names the key it needs when opened with another', async () => {
    const sealed = await seal(plain);
    await expect(open(sealed, fixedKeyRing(randomBytes(32)))).rejects.toThrow(`no key ${ring.current().id}`);
  });
});
