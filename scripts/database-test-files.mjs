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

// Every module and what it imports; then, from the modules that open the database, back along the
// imports to everything that reaches one (a walk over the whole graph, so import cycles cannot hide one).
const modules = roots.flatMap((dir) => [...walk(path.join(root, dir))]).filter((f) => !definitions.has(f));
const importers = new Map();
const opening = [];
for (const file of modules) {
  const text = readFileSync(file, 'utf8');
  if (opensDatabase.test(text)) opening.push(file);
  for (const match of text.matchAll(importPattern)) {
    const spec = path.resolve(path.dirname(file), match[1]);
    for (const target of spec.endsWith('.ts') ? [spec] : [`${spec}.ts`, path.join(spec, 'index.ts')]) {
      if (!importers.has(target)) importers.set(target, []);
      importers.get(target).push(file);
    }
  }
}
const reaching = new Set(opening);
for (const file of reaching) for (const importer of importers.get(file) ?? []) reaching.add(importer);

const files = [...reaching]
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => path.relative(root, file))
  .sort();
process.stdout.write(`${files.join('\n')}\n`);
