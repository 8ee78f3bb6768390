/** Shapes of the issues and merge requests API (they mirror src/modules/reviews/schemas.ts). */

export type CheckStatus = 'pending' | 'running' | 'success' | 'failure' | 'cancelled' | 'error';

export interface Check {
  name: string;
  status: CheckStatus;
  summary: string;
  targetUrl: string | null;
  details: Record<string, unknown>;
  updatedAt: string;
}

export interface Issue {
  id: string;
  number: number;
  title: string;
  body: string;
  labels: string[];
  assignee: string | null;
  author: string | null;
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export type MergeabilityStatus = 'mergeable' | 'fast_forward' | 'conflict' | 'up_to_date' | 'missing_branch';

export interface MergeRequest {
  id: string;
  number: number;
  title: string;
  description: string;
  sourceBranch: string;
  targetBranch: string;
  state: 'open' | 'merged' | 'closed';
  headSha: string;
  mergeCommitSha: string | null;
  author: string | null;
  mergedBy: string | null;
  checks: Check[];
  /** Only while open. */
  mergeability?: { status: MergeabilityStatus; conflicts: string[] };
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
}

export interface Comment {
  id: string;
  author: string | null;
  body: string;
  createdAt: string;
}
