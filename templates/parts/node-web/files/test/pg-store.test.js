// The PostgreSQL store (lib/pg-store.js), run when DATABASE_URL is set; and the choice of store.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openStore } from '../lib/open-store.js';
import { PgClient } from '../lib/pg-client.js';
import { PgStore } from '../lib/pg-store.js';
import { Store } from '../lib/store.js';

const DATABASE_URL = process.env.DATABASE_URL;
const needsDatabase = DATABASE_URL ? false : 'DATABASE_URL is not set';

/** Collections of this run only, dropped afterwards. */
async function scratchCollections(t, ...names) {
  const suffix = randomBytes(4).toString('hex');
  const collections = names.map((n) => `${n}_${suffix}`);
  t.after(async () => {
    const client = await PgClient.connect(DATABASE_URL);
    for (const c of collections) await client.query(`DROP TABLE IF EXISTS "${c}"`);
    await client.end();
  });
  return collections;
}

/** Polls until `check` holds, for at most `ms`. */
async function until(check, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('without DATABASE_URL the app keeps its file store', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'store-choice-'));
  try {
    const store = await openStore({ dataDir: dir, databaseUrl: undefined, models: [] });
    assert.ok(store instanceof Store);
    await store.insert('notes', { title: 'offline' });
    await store.close();
    assert.deepEqual(await readdir(dir), ['db.json']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('PostgreSQL: records survive a restart, ids count up, a removal clears references', {
  skip: needsDatabase,
}, async (t) => {
  const [projects, tasks] = await scratchCollections(t, 'projects', 'tasks');
  const models = [{ collection: projects }, { collection: tasks }];
  const store = await openStore({ dataDir: '/nonexistent', databaseUrl: DATABASE_URL, models });
  assert.ok(store instanceof PgStore);
  const first = await store.insert(projects, { name: 'one' });
  const [second] = await Promise.all([
    store.insert(projects, { name: "two's" }),
    store.update(projects, first.id, { name: 'uno', done: true }),
  ]);
  assert.equal(second.id, first.id + 1);
  assert.match(first.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const task = await store.insert(tasks, { title: 'call', project: second.id });
  assert.equal(await store.update(projects, 999_999, { name: 'x' }), undefined);
  await store.close();

  const reopened = await PgStore.open({ databaseUrl: DATABASE_URL, collections: [projects, tasks] });
  t.after(() => reopened.close());
  assert.deepEqual(
    reopened.list(projects).map((p) => [p.name, p.done]),
    [
      ['uno', true],
      ["two's", undefined],
    ],
  );
  assert.equal(reopened.get(tasks, task.id).project, second.id);
  assert.equal(await reopened.remove(projects, second.id, [{ collection: tasks, field: 'project' }]), true);
  assert.equal(reopened.get(projects, second.id), undefined);
  assert.equal(reopened.get(tasks, task.id).project, null);
  assert.equal(await reopened.remove(projects, second.id), false);
  const third = await reopened.insert(projects, { name: 'three' });
  assert.equal(third.id, second.id + 1);
});

test('PostgreSQL: a change made elsewhere reaches the copy in memory', { skip: needsDatabase }, async (t) => {
  const [notes] = await scratchCollections(t, 'notes');
  const one = await PgStore.open({ databaseUrl: DATABASE_URL, collections: [notes] });
  t.after(() => one.close());
  const other = await PgStore.open({ databaseUrl: DATABASE_URL, collections: [notes] });
  t.after(() => other.close());
  const note = await other.insert(notes, { title: 'from the other process' });
  await until(() => one.get(notes, note.id)?.title === 'from the other process');
  const client = await PgClient.connect(DATABASE_URL);
  t.after(() => client.end());
  await client.query(`DELETE FROM "${notes}" WHERE id = $1`, [note.id]);
  await until(() => one.get(notes, note.id) === undefined && other.get(notes, note.id) === undefined);
});
