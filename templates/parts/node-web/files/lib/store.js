/**
 * A durable JSON store: every collection lives in one file, `<dataDir>/db.json`. Changes are
 * applied in memory, then the whole file is rewritten atomically (write a temporary file, flush it
 * to disk, rename it over the old one), one write at a time, so a crash never leaves half a file.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { own } from './own.js';

const EMPTY = { version: 1, nextId: {}, collections: {} };

export class Store {
  #file;
  #data;
  #writing = Promise.resolve();

  constructor(file, data) {
    this.#file = file;
    this.#data = data;
  }

  static async open(dataDir) {
    await mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, 'db.json');
    let data = structuredClone(EMPTY);
    try {
      data = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      if (error.code !== 'ENOENT') {
        throw new Error(`${file} could not be read (${error.message}); fix it or move it away`);
      }
    }
    if (typeof data?.collections !== 'object' || typeof data?.nextId !== 'object') {
      throw new Error(`${file} is not a data file of this app; move it away to start empty`);
    }
    return new Store(file, data);
  }

  list(collection) {
    return (own(this.#data.collections, collection) ?? []).map((record) => ({ ...record }));
  }

  get(collection, id) {
    const record = this.#rows(collection).find((r) => r.id === id);
    return record ? { ...record } : undefined;
  }

  async insert(collection, values) {
    const id = (own(this.#data.nextId, collection) ?? 0) + 1;
    this.#data.nextId[collection] = id;
    const now = new Date().toISOString();
    const record = { id, ...values, createdAt: now, updatedAt: now };
    this.#rows(collection).push(record);
    await this.#save();
    return { ...record };
  }

  async update(collection, id, values) {
    const record = this.#rows(collection).find((r) => r.id === id);
    if (!record) return undefined;
    Object.assign(record, values, { id, updatedAt: new Date().toISOString() });
    await this.#save();
    return { ...record };
  }

  /** Removes a record and clears the references to it (`{ collection, field }` pairs) in one write. */
  async remove(collection, id, references = []) {
    const rows = this.#rows(collection);
    const index = rows.findIndex((r) => r.id === id);
    if (index < 0) return false;
    rows.splice(index, 1);
    for (const ref of references) {
      for (const row of this.#rows(ref.collection)) if (own(row, ref.field) === id) row[ref.field] = null;
    }
    await this.#save();
    return true;
  }

  /** Waits for the last write to reach the disk. */
  async close() {
    await this.#writing.catch(() => {});
  }

  #rows(collection) {
    if (!Object.hasOwn(this.#data.collections, collection)) this.#data.collections[collection] = [];
    return this.#data.collections[collection];
  }

  #save() {
    const text = JSON.stringify(this.#data, null, 2);
    const write = this.#writing.catch(() => {}).then(() => writeAtomically(this.#file, text));
    this.#writing = write;
    return write;
  }
}

async function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  // Make the rename itself durable; not every platform lets a directory be opened.
  try {
    const dir = await open(path.dirname(file), 'r');
    await dir.sync().finally(() => dir.close());
  } catch {}
}
