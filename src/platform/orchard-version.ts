import { readFileSync } from 'node:fs';

let version: string | undefined;

/** Orchard's version, as its package.json says (read once). */
export function orchardVersion(): string {
  version ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return version;
}
