import { runGit } from './git-process.ts';

/** The best common ancestor of two commits, or null for unrelated histories. */
export async function findMergeBase(
  repo: string,
  a: string,
  b: string,
): Promise<{ mergeBase: string | null }> {
  const result = await runGit(['merge-base', '--end-of-options', a, b], { cwd: repo });
  return { mergeBase: result.code === 0 ? result.stdout.toString().trim() : null };
}
