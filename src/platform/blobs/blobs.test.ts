import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from './index.ts';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function store() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-blobs-'));
  dirs.push(dir);
  return new FsBlobStore(dir);
}

describe('FsBlobStore', () => {
  it('stores streams and buffers, reads them back, lists by prefix and deletes', async () => {
    const blobs = await store();
    const put = await blobs.put('p/1/build/app.js', Readable.from(['con', 'sole.log(1)']));
    expect(put).toMatchObject({ size: 14, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await blobs.put('p/1/report.txt', Buffer.from('ok'));
    await blobs.put('p/2/other.txt', Buffer.from('no'));
    const got = await blobs.get('p/1/build/app.js');
    expect(got?.size).toBe(14);
    expect(await text(got!.stream)).toBe('console.log(1)');
    expect(await blobs.list('p/1')).toEqual([
      { key: 'p/1/build/app.js', size: 14 },
      { key: 'p/1/report.txt', size: 2 },
    ]);
    await blobs.delete('p/1/report.txt');
    expect(await blobs.get('p/1/report.txt')).toBeUndefined();
  });

  it('refuses keys that would escape its directory', async () => {
    const blobs = await store();
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a//b', '']) {
      await expect(blobs.put(key, Buffer.from('x'))).rejects.toThrow(/Invalid blob key/);
    }
  });
});
