/**
 * Reads the template files under `templates/` at the repository root: the composable parts
 * (`parts/<name>/files/**`), each template's manifest (`<id>/template.json`) and the spec template.
 * Files are read once and kept: they are part of Orchard, not user data.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../../../templates/', import.meta.url));

const trees = new Map<string, ReadonlyMap<string, string>>();

/** Every file under `dir`, keyed by its POSIX path relative to `dir`, in sorted order. */
function readTree(dir: string): ReadonlyMap<string, string> {
  const cached = trees.get(dir);
  if (cached) return cached;
  const files = new Map<string, string>();
  const walk = (sub: string) => {
    const entries = readdirSync(path.join(dir, sub), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) files.set(rel, readFileSync(path.join(dir, rel), 'utf8'));
    }
  };
  walk('');
  trees.set(dir, files);
  return files;
}

/** The files of one composable part, e.g. `node-web` or `page-list`. */
export function partFiles(part: string): ReadonlyMap<string, string> {
  return readTree(path.join(TEMPLATES_DIR, 'parts', part, 'files'));
}

export function readTemplateFile(relative: string): string {
  return readFileSync(path.join(TEMPLATES_DIR, relative), 'utf8');
}
