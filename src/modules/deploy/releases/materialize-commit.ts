import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { GitTimeoutError, gitLimits, killGitGroup, seconds, spawnGit } from '../../git/index.ts';

/**
 * Writes the tree of `sha` into `dir` (emptied first): `git archive <sha> | tar -x`. The result
 * is a plain directory with no link back to the repository, so it outlives any worktree. Both
 * are stopped after `git.timeoutMs`.
 */
export async function materializeCommit(repo: string, sha: string, dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const timeoutMs = gitLimits().timeoutMs;
  await new Promise<void>((resolve, reject) => {
    const archive = spawnGit(['-C', repo, 'archive', '--format=tar', sha]);
    archive.stdin.end();
    const tar = spawn('tar', ['-x', '-f', '-', '-C', dir], { stdio: ['pipe', 'ignore', 'pipe'] });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGitGroup(archive);
      tar.kill('SIGKILL');
    }, timeoutMs);
    let stderr = '';
    archive.stderr.on('data', (c) => (stderr += c));
    tar.stderr.on('data', (c) => (stderr += c));
    archive.stdout.pipe(tar.stdin);
    tar.stdin.on('error', () => undefined);
    let archiveCode: number | null = null;
    archive.on('error', reject);
    tar.on('error', reject);
    archive.on('close', (code) => {
      archiveCode = code;
    });
    tar.on('close', (code) => {
      const finish = () => {
        clearTimeout(timer);
        if (timedOut)
          return reject(
            new GitTimeoutError(
              `Extracting ${sha.slice(0, 7)} (git archive) did not finish within ${seconds(timeoutMs)} and was stopped; raise git.timeoutMs if the repository is that large.`,
            ),
          );
        return archiveCode === 0 && code === 0
          ? resolve()
          : reject(
              new Error(
                `could not extract ${sha.slice(0, 7)}: ${stderr.trim().slice(0, 500) || `exit ${archiveCode}/${code}`}`,
              ),
            );
      };
      if (archiveCode !== null) finish();
      else archive.once('close', finish);
    });
  });
}
