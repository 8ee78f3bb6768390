import { z } from 'zod';

export const SlugParam = z.object({ slug: z.string().min(1).max(100) });
export const RefParams = SlugParam.extend({
  ref: z.string().min(1).max(255),
  '*': z.string().max(4096).optional(),
});
export const CommitParams = SlugParam.extend({ sha: z.string().min(1).max(255) });
export const CompareParams = SlugParam.extend({ range: z.string().min(1).max(600) });
export const CommitsQuery = z.object({
  ref: z.string().min(1).max(255).optional(),
  path: z.string().max(4096).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type CommitsQuery = z.infer<typeof CommitsQuery>;

export const BranchView = z.object({
  name: z.string(),
  sha: z.string(),
  committedAt: z.string(),
  title: z.string(),
  default: z.boolean(),
  protected: z.boolean(),
  /** Its head is a first commit (no parent): on the default branch, often all a new repository has. */
  root: z.boolean(),
});

export const TreeEntryView = z.object({
  name: z.string(),
  path: z.string(),
  type: z.enum(['blob', 'tree', 'commit']),
  mode: z.string(),
  sha: z.string(),
  size: z.number().nullable(),
});

export const CommitView = z.object({
  sha: z.string(),
  parents: z.array(z.string()),
  title: z.string(),
  message: z.string(),
  authorName: z.string(),
  authorEmail: z.string(),
  authorDate: z.string(),
  committerName: z.string(),
  committerEmail: z.string(),
  committedAt: z.string(),
});
export type CommitView = z.infer<typeof CommitView>;

export const PushView = z.object({
  id: z.number(),
  actor: z.string(),
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  headCommit: z
    .object({
      sha: z.string(),
      message: z.string(),
      authorName: z.string(),
      authorEmail: z.string(),
      timestamp: z.string(),
    })
    .nullable(),
  createdAt: z.string(),
});
export type PushView = z.infer<typeof PushView>;

export const FileChangeView = z.object({
  path: z.string(),
  oldPath: z.string().nullable(),
  status: z.enum(['added', 'modified', 'deleted', 'renamed', 'copied', 'type_changed']),
  additions: z.number().nullable(),
  deletions: z.number().nullable(),
  binary: z.boolean(),
  patch: z.string().nullable(),
});

export const DiffView = z.object({ files: z.array(FileChangeView), truncated: z.boolean() });
