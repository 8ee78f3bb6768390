import { createHash, randomUUID } from 'node:crypto';
import { lstat, readFile, readlink, realpath, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AgentProfile } from './agent-profile.ts';

/**
 * The setup cache key of a workspace: sha256 over the setup commands, the image they run in
 * (native modules built for one toolchain break in another) and the contents of the `cacheKey`
 * files. A file that is missing is hashed as absent, a symlink by its target text (as git stores
 * it), so links in the repository never make Orchard read outside the workspace.
 */
export async function setupKey(
  profile: Pick<AgentProfile, 'setup' | 'cacheKey' | 'image'>,
  workspaceDir: string,
): Promise<string> {
  const hash = createHash('sha256');
  // Every part is length-prefixed, so no two different inputs hash the same stream.
  const part = (value: string | Buffer) => {
    const bytes = typeof value === 'string' ? Buffer.from(value) : value;
    hash.update(`${bytes.length}:`).update(bytes);
  };
  part('orchard-setup-v1');
  part(profile.image);
  part(String(profile.setup.length));
  for (const command of profile.setup) part(command);
  const root = await realpath(workspaceDir);
  for (const file of [...new Set(profile.cacheKey)].sort()) {
    part(file);
    const [kind, content] = await fileState(root, file);
    part(kind);
    part(content);
  }
  return hash.digest('hex');
}

async function fileState(root: string, file: string): Promise<[string, string | Buffer]> {
  const full = path.resolve(root, file);
  // The profile's schema refuses such paths already; a caller passing its own profile may not have.
  if (!isInside(root, full)) throw new Error(`${file} is outside the workspace`);
  const parent = await realpath(path.dirname(full)).catch(ignoreMissing);
  if (parent === undefined) return ['absent', ''];
  // A directory link in the repository must not make Orchard read outside the workspace.
  if (!isInside(root, parent)) return ['outside', ''];
  const stat = await lstat(full).catch(ignoreMissing);
  if (!stat) return ['absent', ''];
  if (stat.isSymbolicLink()) return ['symlink', await readlink(full)];
  if (stat.isFile()) return ['file', await readFile(full)];
  return ['other', ''];
}

function isInside(root: string, target: string) {
  const relative = path.relative(root, target);
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

function ignoreMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
  throw error;
}

/** Whether setup must run: the marker written after the last successful setup holds another key (or none). */
export async function needsSetup(markerPath: string, key: string): Promise<boolean> {
  const done = await readFile(markerPath, 'utf8').catch(ignoreMissing);
  return done?.trim() !== key;
}

/** Records a successful setup; written whole or not at all, so a crash mid-write means "run again". */
export async function markSetupDone(markerPath: string, key: string): Promise<void> {
  const temp = `${markerPath}.${randomUUID()}.tmp`;
  await writeFile(temp, `${key}\n`);
  await rename(temp, markerPath);
}
