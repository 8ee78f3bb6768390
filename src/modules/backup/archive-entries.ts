import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { BackupArchiveError } from './archive-error.ts';

/**
 * The inner layer of a backup archive (before gzip and encryption): a sequence of entries, each a
 * JSON description and a body of framed chunks, so bodies of unknown length (a table's COPY) stream
 * through without being held.
 *
 *   entry = u32 description length | description JSON | (u32 n | n bytes)* | u32 0
 */
export interface EntryInfo {
  kind: string;
  name: string;
  [key: string]: unknown;
}

const FRAME_MAX = 4 * 1024 * 1024;

/** Writes entries to `output` (a stream it pipes to gzip and encryption), waiting when it is full. */
export class EntryWriter {
  readonly output = new PassThrough({ highWaterMark: 1024 * 1024 });

  private async write(chunk: Buffer) {
    if (!this.output.write(chunk)) await once(this.output, 'drain');
  }

  private async frame(bytes: Buffer) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    await this.write(length);
    if (bytes.length) await this.write(bytes);
  }

  /** Writes one entry; returns its body's byte count and SHA-256. */
  async entry(info: EntryInfo, body?: Readable | Buffer): Promise<{ bytes: number; sha256: string }> {
    await this.frame(Buffer.from(JSON.stringify(info)));
    const hash = createHash('sha256');
    let bytes = 0;
    const chunks = body === undefined ? [] : Buffer.isBuffer(body) ? [body] : body;
    for await (const raw of chunks as AsyncIterable<Buffer | string>) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
      for (let at = 0; at < chunk.length; at += FRAME_MAX) {
        const piece = chunk.subarray(at, at + FRAME_MAX);
        if (!piece.length) continue;
        hash.update(piece);
        bytes += piece.length;
        await this.frame(piece);
      }
    }
    await this.frame(Buffer.alloc(0));
    return { bytes, sha256: hash.digest('hex') };
  }

  end() {
    this.output.end();
  }
}

/** Reads exactly n bytes at a time from a stream of buffers. */
class ByteReader {
  private buffered: Buffer = Buffer.alloc(0);
  private readonly iterator: AsyncIterator<Buffer>;
  private done = false;

  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** n bytes, or undefined at a clean end (nothing buffered); a short end is an error. */
  async read(n: number): Promise<Buffer | undefined> {
    while (this.buffered.length < n && !this.done) {
      const next = await this.iterator.next();
      if (next.done) this.done = true;
      else this.buffered = this.buffered.length ? Buffer.concat([this.buffered, next.value]) : next.value;
    }
    if (this.buffered.length < n) {
      if (this.buffered.length === 0 && n > 0) return undefined;
      throw new BackupArchiveError('The archive ends in the middle of an entry: it is truncated.');
    }
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return out;
  }
}

export interface ArchiveEntry {
  info: EntryInfo;
  /** The body; read it to the end (or call `skip`) before asking for the next entry. */
  body(): Readable;
  /** The SHA-256 and byte count of the body, once it has been read. */
  digest(): { bytes: number; sha256: string };
}

/** The entries of a decrypted, gunzipped archive, in order. */
export async function* readEntries(source: AsyncIterable<Buffer>): AsyncGenerator<ArchiveEntry> {
  const reader = new ByteReader(source);
  const u32 = async () => {
    const bytes = await reader.read(4);
    if (!bytes) throw new BackupArchiveError('The archive ends in the middle of an entry: it is truncated.');
    return bytes.readUInt32BE(0);
  };
  for (;;) {
    const head = await reader.read(4);
    if (!head) return;
    const length = head.readUInt32BE(0);
    if (length > 1024 * 1024)
      throw new BackupArchiveError('The archive holds an entry too large to describe.');
    let info: EntryInfo;
    try {
      info = JSON.parse((await reader.read(length))?.toString('utf8') ?? '') as EntryInfo;
    } catch {
      throw new BackupArchiveError('The archive holds an entry whose description is not JSON.');
    }
    const hash = createHash('sha256');
    let bytes = 0;
    let finished = false;
    async function* frames() {
      for (;;) {
        const n = await u32();
        if (n === 0) break;
        if (n > FRAME_MAX) throw new BackupArchiveError(`The archive's entry ${info.name} is damaged.`);
        const piece = (await reader.read(n))!;
        hash.update(piece);
        bytes += piece.length;
        yield piece;
      }
      finished = true;
    }
    let stream: Readable | undefined;
    yield {
      info,
      body: () => {
        stream ??= Readable.from(frames(), { objectMode: false });
        return stream;
      },
      digest: () => ({ bytes, sha256: hash.digest('hex') }),
    };
    // The consumer did not read the body: skip it.
    if (!finished) for await (const _ of stream ?? Readable.from(frames())) void _;
  }
}
