import { OutputTooLargeError, runGit } from '../git-process.ts';

/** The empty tree (SHA-1 repositories): the "parent" of a root commit. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const MAX_PATCH_BYTES = 2 * 1024 * 1024;

export interface FileChange {
  path: string;
  oldPath: string | null;
  status: 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type_changed';
  additions: number | null;
  deletions: number | null;
  binary: boolean;
  patch: string | null;
}

export interface Diff {
  files: FileChange[];
  /** True when the patch text was too large to include (file stats are still complete). */
  truncated: boolean;
}

const STATUS: Record<string, FileChange['status']> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type_changed',
};

/** The changes from `from` to `to` (commits or trees), with renames detected and per-file patches. */
export async function readDiff(repo: string, from: string, to: string): Promise<Diff> {
  const base = ['diff', '--no-color', '--no-ext-diff', '-M'];
  const [names, stats] = await Promise.all([
    runGit([...base, '--name-status', '-z', '--end-of-options', from, to, '--'], { cwd: repo }),
    runGit([...base, '--numstat', '-z', '--end-of-options', from, to, '--'], { cwd: repo }),
  ]);
  const files: FileChange[] = [];
  const parts = names.stdout.toString('utf8').split('\0');
  for (let i = 0; i < parts.length - 1; ) {
    const code = parts[i++]!;
    const letter = code[0]!;
    const twoPaths = letter === 'R' || letter === 'C';
    const oldPath = twoPaths ? parts[i++]! : null;
    const path = parts[i++]!;
    files.push({
      path,
      oldPath,
      status: STATUS[letter] ?? 'modified',
      additions: null,
      deletions: null,
      binary: false,
      patch: null,
    });
  }
  // numstat -z: "adds\tdels\tpath\0" or, for renames, "adds\tdels\t\0old\0new\0" — same order as name-status.
  const numbers = stats.stdout.toString('utf8').split('\0');
  for (let i = 0, f = 0; i < numbers.length - 1 && f < files.length; f++) {
    const [adds, dels, path] = numbers[i++]!.split('\t');
    if (path === '') i += 2;
    const file = files[f]!;
    file.binary = adds === '-';
    file.additions = file.binary ? null : Number(adds);
    file.deletions = file.binary ? null : Number(dels);
  }
  let truncated = false;
  try {
    const patch = await runGit([...base, '--end-of-options', from, to, '--'], {
      cwd: repo,
      maxOutputBytes: MAX_PATCH_BYTES,
    });
    const chunks = patch.stdout
      .toString('utf8')
      .split(/^(?=diff --git )/m)
      .filter((c) => c.startsWith('diff --git '));
    if (chunks.length === files.length) {
      for (const [i, chunk] of chunks.entries()) files[i]!.patch = chunk;
    }
  } catch (error) {
    if (!(error instanceof OutputTooLargeError)) throw error;
    truncated = true;
  }
  return { files, truncated };
}
