#!/usr/bin/env node
// Lists the test files whose outcome can depend on which PostgreSQL the run uses: those that open
// the run's database (`createTestDatabase()` or `createTestApp()` from test/, or `inject('pg…')`),
// themselves or through a helper module they import. The others are pure, or start Orchard on its
// own embedded PostgreSQL in a temporary home, and behave the same whichever server DATABASE_URL
// names. `.ci/run` runs this list a second time on the machine's PostgreSQL.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const roots = ['src', 'test', 'e2e', 'web/src', 'templates'];
// Where the helpers are defined; importing them (even for a type or `bearer`) does not open anything.
const definitions = new Set([path.join(root, 'test', 'db.ts'), path.join(root, 'test', 'app.ts')]);
const opensDatabase = /\bcreateTest(?:Database|App)\(|\binject\(\s*['"]pg/;
const importPattern = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'files') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* walk(full);
    else if (full.endsWith('.ts')) yield full;
  }
}

const reaches = new Map();
function reachesDatabase(file, seen = new Set()) {
  if (definitions.has(file)) return false;
  if (reaches.has(file)) return reaches.get(file);
  if (seen.has(file)) return false;
  seen.add(file);
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  let found = opensDatabase.test(text);
  if (!found)
    for (const match of text.matchAll(importPattern)) {
      const spec = path.resolve(path.dirname(file), match[1]);
      const candidates = spec.endsWith('.ts') ? [spec] : [`${spec}.ts`, path.join(spec, 'index.ts')];
      if (candidates.some((candidate) => reachesDatabase(candidate, seen))) {
        found = true;
        break;
      }
    }
  reaches.set(file, found);
  return found;
}

const files = roots
  .flatMap((dir) => [...walk(path.join(root, dir))])
  .filter((file) => file.endsWith('.test.ts') && reachesDatabase(file))
  .map((file) => path.relative(root, file))
  .sort();
process.stdout.write(`${files.join('\n')}\n`);
