import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './start-orchard.ts';

const WEB_SRC = path.join(REPO_ROOT, 'web');
const BUILT_INDEX = path.join(REPO_ROOT, 'dist', 'web', 'index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the UI (`npm run build:web`) when dist/web is missing or older than web/, so a browser
 * test never runs against a stale bundle.
 */
export async function ensureWebBuilt(): Promise<'built' | 'fresh'> {
  if (existsSync(BUILT_INDEX) && statSync(BUILT_INDEX).mtimeMs >= newestMtime(WEB_SRC)) return 'fresh';
  // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  await promisify(execFile)('npm', ['run', 'build:web'], {
    cwd: REPO_ROOT,
    timeout: 180_000,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return 'built';
}
