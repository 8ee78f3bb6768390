/** Shapes of the repository browse API (they mirror src/modules/git/schemas.ts and browse-routes.ts). */

export interface Branch {
  name: string;
  sha: string;
  committedAt: string;
  title: string;
  default: boolean;
  protected: boolean;
}

export interface TreeEntry {
  name: string;
  path: string;
  type: 'blob' | 'tree' | 'commit';
  mode: string;
  sha: string;
  size: number | null;
}

export interface Tree {
  ref: string;
  sha: string;
  path: string;
  entries: TreeEntry[];
}

export interface Commit {
  sha: string;
  parents: string[];
  title: string;
  message: string;
  authorName: string;
  authorEmail: string;
  authorDate: string;
  committerName: string;
  committerEmail: string;
  committedAt: string;
}

export type FileChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type_changed';

export interface FileChange {
  path: string;
  oldPath: string | null;
  status: FileChangeStatus;
  additions: number | null;
  deletions: number | null;
  binary: boolean;
  /** The `git diff` text of this file (headers included), or null when binary or too large. */
  patch: string | null;
}

export interface Diff {
  files: FileChange[];
  /** The patch text was too large to include; file stats are still complete. */
  truncated: boolean;
}

export interface CommitDetail extends Commit {
  diff: Diff;
}

export interface Comparison {
  base: string;
  head: string;
  mergeBase: string | null;
  commits: Commit[];
  diff: Diff;
}
