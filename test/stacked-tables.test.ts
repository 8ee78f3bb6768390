// A UI table with visible column headers is a `stack-table`: on a phone its rows become cards of
// "label  value" lines (web/src/app/styles.css). Tables without visible headers (code, diffs, logs,
// the file tree, a Blueprint's fields) scroll or fit as they are. That each cell's `data-label`
// matches its column is checked in the browser, on every page (e2e/responsive.test.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const WEB = path.resolve(import.meta.dirname, '..', 'web', 'src');

function components(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return components(full);
    return name.endsWith('.tsx') ? [full] : [];
  });
}

/** Each `<table …>…</table>` of a file, as written. */
function tablesOf(text: string): string[] {
  return [...text.matchAll(/<table\b[\s\S]*?<\/table>/g)].map((m) => m[0]);
}

const headed = (table: string) => {
  const thead = /<thead\b[^>]*>/.exec(table)?.[0];
  return thead !== undefined && !/\bsr-only\b/.test(thead);
};
const stacked = (table: string) => /^<table\b[^>]*className="[^"]*\bstack-table\b/.test(table);

it('every table with visible headers stacks on a phone', () => {
  const tables = components(WEB).flatMap((file) =>
    tablesOf(readFileSync(file, 'utf8')).map((table) => ({ file: path.relative(WEB, file), table })),
  );
  const withHeaders = tables.filter((t) => headed(t.table));
  // The tables this rule is about exist (a moved folder would make it pass vacuously).
  expect(withHeaders.length).toBeGreaterThanOrEqual(6);
  expect(withHeaders.filter((t) => !stacked(t.table)).map((t) => t.file)).toEqual([]);
});
