// No module's SQL names another module's tables: what a module needs of another's data it asks
// through that module's index.ts. A table belongs to the module whose code inserts into it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(name) && !/\.test(-support)?\.ts$/.test(name) ? [full] : [];
  });
}

const tables = readdirSync(path.join(ROOT, 'migrations'))
  .filter((f) => f.endsWith('.sql'))
  .flatMap((f) =>
    [
      ...readFileSync(path.join(ROOT, 'migrations', f), 'utf8').matchAll(
        // A partition (`CREATE TABLE x_default PARTITION OF x`) is its parent's.
        /CREATE TABLE (?:IF NOT EXISTS )?(\w+)\b(?!\s+PARTITION OF)/g,
      ),
    ].map((m) => m[1]!),
  );

const moduleFiles = sourceFiles(path.join(ROOT, 'src/modules')).map((file) => ({
  module: path.relative(path.join(ROOT, 'src/modules'), file).split(path.sep)[0]!,
  file: path.relative(ROOT, file),
  text: readFileSync(file, 'utf8'),
}));

const statement = (verb: string, table: string) => new RegExp(`\\b${verb}\\s+${table}\\b`);

it('every table has one owner: the one module whose code inserts into it', () => {
  const owners = Object.fromEntries(
    tables.map((table) => [
      table,
      [
        ...new Set(
          moduleFiles.filter((f) => statement('INSERT INTO', table).test(f.text)).map((f) => f.module),
        ),
      ],
    ]),
  );
  expect(Object.entries(owners).filter(([, mods]) => mods.length !== 1)).toEqual([]);
});

it("no module's SQL reads or writes another module's tables", () => {
  const owner = new Map(
    tables.map((table) => [
      table,
      moduleFiles.find((f) => statement('INSERT INTO', table).test(f.text))?.module,
    ]),
  );
  const crossings: string[] = [];
  for (const f of moduleFiles) {
    for (const [table, mod] of owner) {
      if (mod === f.module) continue;
      for (const verb of ['FROM', 'JOIN', 'INTO', 'UPDATE'])
        if (statement(verb, table).test(f.text))
          crossings.push(`${f.file}: ${verb} ${table} (owned by ${mod})`);
    }
  }
  expect(crossings).toEqual([]);
});
