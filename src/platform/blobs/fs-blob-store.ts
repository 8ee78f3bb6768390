import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertBlobKey, type BlobInfo, type BlobStore } from './blob-store.ts';

/** Blobs as files under one directory (`<home>/blobs`); writes land atomically via rename. */
export class FsBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  private file(key: string) {
    return path.join(this.root, ...assertBlobKey(key).split('/'));
  }

  async put(key: string, body: Readable | Buffer) {
    const target = this.file(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomBytes(6).toString('hex')}.partial`;
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, measure, createWriteStream(temp));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { size, sha256: hash.digest('hex') };
  }

  async get(key: string) {
    const file = this.file(key);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return { stream: createReadStream(file), size: info.size };
  }

  async delete(key: string) {
    await rm(this.file(key), { force: true });
  }

  async list(prefix: string): Promise<BlobInfo[]> {
    const base = this.file(prefix);
    const out: BlobInfo[] = [];
    const walk = async (dir: string, rel: string) => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const key = `${rel}/${entry.name}`;
        if (entry.isDirectory()) await walk(path.join(dir, entry.name), key);
        else if (entry.isFile() && !entry.name.endsWith('.partial')) {
          out.push({ key, size: (await stat(path.join(dir, entry.name))).size });
        }
      }
    };
    await walk(base, prefix);
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }
}
