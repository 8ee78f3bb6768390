/**
 * The site's Markdown files, read from content/ when a page is asked for (an edited file shows on
 * the next request). Pages name their file or folder in app/site.js; an entry's name comes from the
 * URL, so only plain names are read (letters, digits, `-` and `_`) and nothing outside content/.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownTitle } from './markdown.js';

export const CONTENT_DIR = fileURLToPath(new URL('../content/', import.meta.url));
const NAME = /^[\p{L}\p{N}][\p{L}\p{N}_-]{0,99}$/u;
/** `2024-05-31-hello`: entries named after their date are listed newest first. */
const DATED = /^\d{4}-\d{2}-\d{2}/;

/** The text of content/<relative>, or undefined when there is no such file. */
async function read(...parts) {
  const file = path.resolve(CONTENT_DIR, ...parts);
  if (!file.startsWith(CONTENT_DIR)) return undefined;
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** A page's Markdown (`about.md`), or undefined. */
export function readPage(file) {
  return read(file);
}

/** One entry of a folder (`posts`, `hello` → content/posts/hello.md), or undefined. */
export function readEntry(collection, name) {
  return NAME.test(name) ? read(collection, `${name}.md`) : Promise.resolve(undefined);
}

/** The entries of a folder with their titles: dated ones newest first, then the rest by name. */
export async function listEntries(collection) {
  let files;
  try {
    files = await readdir(path.resolve(CONTENT_DIR, collection));
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  const names = files
    .filter((f) => f.endsWith('.md') && NAME.test(f.slice(0, -3)))
    .map((f) => f.slice(0, -3))
    .sort((a, b) => {
      const [da, db] = [DATED.test(a), DATED.test(b)];
      if (da !== db) return da ? -1 : 1;
      return da ? b.localeCompare(a) : a.localeCompare(b);
    });
  return Promise.all(
    names.map(async (name) => ({
      name,
      title: markdownTitle((await readEntry(collection, name)) ?? '') ?? name,
    })),
  );
}
