/**
 * Workspace checkpoints: after each tool call that may have changed files, the worktree's state
 * becomes a commit under `refs/orchard/sessions/<id>` (through an index of its own, so the
 * worktree's index and history are untouched). A run resumed on another worker — with the
 * transcript saying which tool calls completed — starts from the last checkpoint.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { git } from '../../git/index.ts';
import type { AgentWorkspace } from '../agent-runtime.ts';
import { workspaceGitEnv } from '../workspace-git-env.ts';

type GitWorkspace = Pick<AgentWorkspace, 'dir' | 'gitDir'>;

export const checkpointRef = (sessionId: string) => `refs/orchard/sessions/${sessionId}`;

const identity = {
  GIT_AUTHOR_NAME: 'Orchard agent checkpoint',
  GIT_AUTHOR_EMAIL: 'orchard@localhost',
  GIT_COMMITTER_NAME: 'Orchard agent checkpoint',
  GIT_COMMITTER_EMAIL: 'orchard@localhost',
};

/** The index checkpoints are staged through: beside the worktree, out of the sandbox's reach. */
const checkpointIndex = (dir: string) =>
  path.join(path.dirname(dir), `.${path.basename(dir)}.checkpoint-index`);

/**
 * Removes a worktree's checkpoint index and its lock: at the end of an attempt, and at the start
 * of the next one at the same path (a lock left by a crash mid-checkpoint would fail them all).
 */
export async function discardCheckpointIndex(dir: string): Promise<void> {
  const index = checkpointIndex(dir);
  await Promise.all([rm(index, { force: true }), rm(`${index}.lock`, { force: true })]);
}

/** Commits the worktree's files (tracked and new, not ignored) on top of `parent`; returns the commit. */
export async function checkpointWorkspace(
  workspace: GitWorkspace,
  sessionId: string,
  parent: string,
): Promise<string> {
  const { dir } = workspace;
  const own = workspaceGitEnv(workspace);
  const env = { ...own, ...identity, GIT_INDEX_FILE: checkpointIndex(dir) };
  await git(['add', '--all'], { cwd: dir, env });
  const tree = (await git(['write-tree'], { cwd: dir, env })).trim();
  const commit = (
    await git(['commit-tree', tree, '-p', parent, '-m', 'agent checkpoint'], { cwd: dir, env })
  ).trim();
  await git(['update-ref', checkpointRef(sessionId), commit], { cwd: dir, env: own });
  return commit;
}

/** Makes a fresh worktree (at the session's base) hold the checkpoint's files, staged. */
export async function restoreCheckpoint(workspace: GitWorkspace, checkpoint: string): Promise<void> {
  await git(['restore', `--source=${checkpoint}`, '--staged', '--worktree', '--', '.'], {
    cwd: workspace.dir,
    env: workspaceGitEnv(workspace),
  });
}

/** Files, insertions and deletions from `base` to `head`. */
export async function diffStat(workspace: GitWorkspace, base: string, head: string) {
  const out = await git(['diff', '--numstat', '-z', base, head], {
    cwd: workspace.dir,
    env: workspaceGitEnv(workspace),
  });
  const paths: { path: string; insertions: number; deletions: number }[] = [];
  const fields = out.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const line = fields[i]!;
    if (!line) continue;
    const [ins, del, name] = line.split('\t');
    // A rename puts the old and new names in the next two fields.
    let file = name;
    if (!file) {
      i += 2;
      file = fields[i] ?? '';
    }
    const insertions = ins === '-' ? 0 : Number(ins);
    const deletions = del === '-' ? 0 : Number(del);
    paths.push({ path: file, insertions, deletions });
  }
  return {
    files: paths.length,
    insertions: paths.reduce((n, p) => n + p.insertions, 0),
    deletions: paths.reduce((n, p) => n + p.deletions, 0),
    paths,
  };
}
