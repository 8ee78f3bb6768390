/**
 * What a run changed in the workspace, read from git at the end: against the commit the workspace
 * started from (so changes a CLI committed by itself count too) plus untracked files. CLIs report
 * edits made with their file tools, not files a shell command wrote; this catches the rest.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { git } from '../../git/index.ts';
import type { AgentWorkspace } from '../agent-runtime.ts';
import { workspaceGitEnv } from '../workspace-git-env.ts';

export interface ChangedFile {
  path: string;
  action: 'write' | 'delete';
}

export async function changedFiles(
  workspace: Pick<AgentWorkspace, 'dir' | 'gitDir'>,
  baseSha: string,
): Promise<ChangedFile[]> {
  // The CLI had the workspace: its `.git` may now point anywhere; git is told where to look.
  const options = { cwd: workspace.dir, env: workspaceGitEnv(workspace) };
  const diff = await git(['diff', '--name-status', '--no-renames', '-z', baseSha, '--'], options);
  const untracked = await git(['ls-files', '--others', '--exclude-standard', '-z'], options);
  const changes = new Map<string, ChangedFile['action']>();
  const fields = diff.split('\0').filter(Boolean);
  for (let i = 0; i + 1 < fields.length; i += 2)
    changes.set(fields[i + 1]!, fields[i]!.startsWith('D') ? 'delete' : 'write');
  for (const file of untracked.split('\0').filter(Boolean)) changes.set(file, 'write');
  return [...changes]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, action]) => ({ path: file, action }));
}

/**
 * The git directory a worktree's `.git` file points to, and the repository it belongs to (the
 * sandbox needs both, read-only, for git to work in the workspace); none for a plain checkout,
 * whose `.git` is a directory inside the workspace.
 */
export async function worktreeGitDirs(workspace: Pick<AgentWorkspace, 'dir' | 'gitDir'>): Promise<string[]> {
  let own = workspace.gitDir;
  if (!own) {
    let pointer: string;
    try {
      pointer = await readFile(path.join(workspace.dir, '.git'), 'utf8');
    } catch {
      return [];
    }
    const gitdir = /^gitdir:\s*(.+)$/m.exec(pointer)?.[1]?.trim();
    if (!gitdir) return [];
    own = path.resolve(workspace.dir, gitdir);
  }
  const common = await readFile(path.join(own, 'commondir'), 'utf8').then(
    (dir) => path.resolve(own, dir.trim()),
    () => undefined,
  );
  return common ? [common] : [own];
}
