import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Store } from '../lib/store.js';

test('records survive a restart and the data file is always complete JSON', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'store-test-'));
  try {
    const store = await Store.open(dir);
    const first = await store.insert('notes', { title: 'one' });
    await Promise.all([
      store.insert('notes', { title: 'two' }),
      store.update('notes', first.id, { title: 'uno' }),
    ]);
    await store.close();
    assert.deepEqual(await readdir(dir), ['db.json']);
    JSON.parse(await readFile(path.join(dir, 'db.json'), 'utf8'));

    const reopened = await Store.open(dir);
    assert.deepEqual(
      reopened.list('notes').map((n) => n.title),
      ['uno', 'two'],
    );
    const third = await reopened.insert('notes', { title: 'three' });
    assert.equal(third.id, 3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a damaged data file is reported, not silently replaced', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'store-test-'));
  try {
    await writeFile(path.join(dir, 'db.json'), '{"collections": ');
    await assert.rejects(Store.open(dir), /could not be read/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
