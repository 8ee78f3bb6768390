import { git } from '../git/index.ts';
import type { AgentWorkspace } from './agent-runtime.ts';

/**
 * The environment for Orchard's own git commands in an agent workspace: the git directory and
 * work tree named explicitly, so git never follows the workspace's `.git` file (the sandboxed
 * agent owns the workspace and could plant a `.git` whose config runs commands as Orchard) and
 * never refuses the workspace for belonging to the sandbox's user.
 */
export function workspaceGitEnv(workspace: Pick<AgentWorkspace, 'dir' | 'gitDir'>): Record<string, string> {
  return workspace.gitDir ? { GIT_DIR: workspace.gitDir, GIT_WORK_TREE: workspace.dir } : {};
}

/** Reads a fresh worktree's git directory (before anyone else could touch its `.git` file). */
export async function worktreeGitDir(dir: string): Promise<string> {
  return (await git(['rev-parse', '--absolute-git-dir'], { cwd: dir })).trim();
}
