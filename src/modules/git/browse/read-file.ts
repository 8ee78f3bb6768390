import { runGit } from '../git-process.ts';

/** A file's text at a commit, or undefined when the commit has no such file (pipelines read their file this way). */
export async function readFileAt(
  repo: string,
  sha: string,
  path: string,
  maxBytes = 1024 * 1024,
): Promise<string | undefined> {
  return (await readFirstFileAt(repo, sha, [path], maxBytes))?.text;
}

/**
 * The first of `paths` that exists at the commit, with its text — one `git cat-file --batch` for
 * all candidates (push handling runs inside the push request, so every spawn counts).
 */
export async function readFirstFileAt(
  repo: string,
  sha: string,
  paths: string[],
  maxBytes = 1024 * 1024,
): Promise<{ path: string; text: string } | undefined> {
  const input = paths.map((p) => `${sha}:${p}\n`).join('');
  const result = await runGit(['cat-file', '--batch'], {
    cwd: repo,
    input,
    maxOutputBytes: maxBytes * paths.length + 4096,
  });
  if (result.code !== 0) return undefined;
  // Each answer: "<oid> <type> <size>\n<content>\n" or "<name> missing\n".
  const out = result.stdout;
  let offset = 0;
  for (const path of paths) {
    const eol = out.indexOf(0x0a, offset);
    if (eol < 0) return undefined;
    const header = out.subarray(offset, eol).toString('utf8').split(' ');
    offset = eol + 1;
    if (header.at(-1) === 'missing' || header.length !== 3) continue;
    const size = Number(header[2]);
    if (header[1] === 'blob') return { path, text: out.subarray(offset, offset + size).toString('utf8') };
    offset += size + 1;
  }
  return undefined;
}
