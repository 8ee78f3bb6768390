import { NotFoundError, PayloadTooLargeError, ValidationError } from '../../../platform/errors.ts';
import { git, runGit } from '../git-process.ts';

export interface TreeEntry {
  name: string;
  path: string;
  type: 'blob' | 'tree' | 'commit';
  mode: string;
  sha: string;
  size: number | null;
}

/** `sha:path` names an object in a commit; the path was validated (no `..`, no leading `/`). */
function objectName(sha: string, path: string) {
  return path ? `${sha}:${path}` : `${sha}^{tree}`;
}

export async function objectType(repo: string, sha: string, path: string): Promise<string | undefined> {
  const result = await runGit(['cat-file', '-t', objectName(sha, path)], { cwd: repo });
  return result.code === 0 ? result.stdout.toString().trim() : undefined;
}

/** Lists a directory of a commit: directories first, then files, each alphabetically. */
export async function readTree(repo: string, sha: string, path: string): Promise<TreeEntry[]> {
  const type = await objectType(repo, sha, path);
  if (!type) throw new NotFoundError(`No path "${path}" at ${sha.slice(0, 12)}.`);
  if (type !== 'tree')
    throw new ValidationError(`"${path}" is a file; read it with the blob endpoint.`, [
      { field: 'path', message: 'is a file' },
    ]);
  const text = await git(['ls-tree', '-z', '--long', objectName(sha, path)], { cwd: repo });
  const entries = text
    .split('\0')
    .filter(Boolean)
    .map((record) => {
      const tab = record.indexOf('\t');
      const [mode, kind, object, size] = record.slice(0, tab).split(/ +/);
      const name = record.slice(tab + 1);
      return {
        name,
        path: path ? `${path}/${name}` : name,
        type: kind as TreeEntry['type'],
        mode: mode!,
        sha: object!,
        size: size === '-' || size === undefined ? null : Number(size),
      };
    });
  const rank = (e: TreeEntry) => (e.type === 'tree' ? 0 : 1);
  return entries.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

export const MAX_BLOB_BYTES = 10 * 1024 * 1024;

const TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  ico: 'image/x-icon',
  pdf: 'application/pdf',
  json: 'application/json; charset=utf-8',
};

export interface Blob {
  content: Buffer;
  size: number;
  contentType: string;
  binary: boolean;
}

/**
 * A file of a commit with a content type for serving it raw. Text is always served as text/plain
 * (never as HTML or SVG, which would run in Orchard's origin); files over the cap are refused.
 */
export async function readBlob(
  repo: string,
  sha: string,
  path: string,
  maxBytes = MAX_BLOB_BYTES,
): Promise<Blob> {
  const type = await objectType(repo, sha, path);
  if (!type) throw new NotFoundError(`No file "${path}" at ${sha.slice(0, 12)}.`);
  if (type !== 'blob')
    throw new ValidationError(`"${path}" is a directory; list it with the tree endpoint.`, [
      { field: 'path', message: 'is a directory' },
    ]);
  const size = Number((await git(['cat-file', '-s', objectName(sha, path)], { cwd: repo })).trim());
  if (size > maxBytes) {
    throw new PayloadTooLargeError(
      `"${path}" is ${size} bytes; the raw view serves files up to ${maxBytes} bytes. Clone the repository instead.`,
    );
  }
  const result = await runGit(['cat-file', 'blob', objectName(sha, path)], {
    cwd: repo,
    maxOutputBytes: maxBytes,
  });
  const content = result.stdout;
  const binary = content.subarray(0, 8000).includes(0);
  const ext = path.split('.').pop()?.toLowerCase() ?? '';
  const contentType = TYPES[ext] ?? (binary ? 'application/octet-stream' : 'text/plain; charset=utf-8');
  return { content, size, contentType, binary };
}
