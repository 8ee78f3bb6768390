import { z } from 'zod';
import { PageQuery } from '../../platform/http/cursor.ts';
import { int4 } from '../../platform/http/int-params.ts';
import { CheckAnnotation } from './checks/check-annotations.ts';

export const SlugParam = z.object({ slug: z.string().min(1).max(100) });
export const NumberParams = SlugParam.extend({ number: int4(1) });

const Label = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[^,\n]+$/, 'must not contain commas or newlines');
const Username = z.string().min(1).max(39);

export const CreateIssueBody = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(255),
  body: z.string().max(65_536).optional(),
  labels: z.array(Label).max(20).optional(),
  assignee: Username.nullable().optional(),
});
export type CreateIssueBody = z.infer<typeof CreateIssueBody>;

export const UpdateIssueBody = CreateIssueBody.partial().extend({
  state: z.enum(['open', 'closed']).optional(),
});
export type UpdateIssueBody = z.infer<typeof UpdateIssueBody>;

export const ListQuery = PageQuery.extend({
  state: z.enum(['open', 'closed', 'merged', 'all']).default('open'),
  label: Label.optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

export const CommentBody = z.object({ body: z.string().trim().min(1, 'must not be empty').max(65_536) });

const Branch = z.string().min(1).max(255);
export const CreateMergeRequestBody = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(255),
  sourceBranch: Branch,
  targetBranch: Branch,
  description: z.string().max(65_536).optional(),
});
export type CreateMergeRequestBody = z.infer<typeof CreateMergeRequestBody>;

export const UpdateMergeRequestBody = z.object({
  title: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(65_536).optional(),
  state: z.enum(['open', 'closed']).optional(),
});
export type UpdateMergeRequestBody = z.infer<typeof UpdateMergeRequestBody>;

export const MergeBody = z
  .object({
    /** `merge` always writes a merge commit; `fast-forward` refuses unless the target can move forward. */
    method: z.enum(['merge', 'fast-forward']).default('merge'),
    message: z.string().max(10_000).optional(),
  })
  .prefault({});
export type MergeBody = z.infer<typeof MergeBody>;

export const CheckStatus = z.enum(['pending', 'running', 'success', 'failure', 'cancelled', 'error']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const CheckView = z.object({
  name: z.string(),
  status: CheckStatus,
  summary: z.string(),
  targetUrl: z.string().nullable(),
  /** What the reporter kept besides its annotations (pipeline number, operation id, pages…). */
  details: z.record(z.string(), z.unknown()),
  /** Findings pinned to a file and line, or to a page (empty for checks that report none). */
  annotations: z.array(CheckAnnotation),
  updatedAt: z.string(),
  startedAt: z.string(),
  completedAt: z.string().nullable(),
});
export type CheckView = z.infer<typeof CheckView>;

/** A required check that has not passed on the commit a merge would bring in. */
export const CheckBlocker = z.object({
  kind: z.literal('check'),
  check: z.string(),
  /** `missing`: the check has not reported on that commit at all. */
  status: z.union([CheckStatus, z.literal('missing')]),
  summary: z.string(),
  /** One sentence: "browser-verification failed: 2 of 5 page(s) failed". */
  message: z.string(),
});

/** Fewer approvals that count than the target branch requires: "needs 2 approvals, has 1". */
export const ApprovalsBlocker = z.object({
  kind: z.literal('approvals'),
  required: z.number(),
  /** Approvals that count now. */
  approvals: z.number(),
  /** Approvals given on an earlier head, which no longer count (the rule dismisses stale approvals). */
  stale: z.number(),
  message: z.string(),
});

/** A reviewer's outstanding request for changes: it blocks until they approve or withdraw it. */
export const ChangesRequestedBlocker = z.object({
  kind: z.literal('changes_requested'),
  reviewer: z.string(),
  message: z.string(),
});

/** What blocks a merge into a protected branch; `message` is one sentence about it. */
export const MergeBlocker = z.discriminatedUnion('kind', [
  CheckBlocker,
  ApprovalsBlocker,
  ChangesRequestedBlocker,
]);
export type MergeBlocker = z.infer<typeof MergeBlocker>;
export type CheckBlocker = z.infer<typeof CheckBlocker>;

export const ReviewState = z.enum(['approve', 'request_changes', 'comment']);
export type ReviewState = z.infer<typeof ReviewState>;

export const ReviewBody = z.object({
  state: ReviewState,
  /** Markdown; needed to request changes or to comment (say what), optional with an approval. */
  body: z.string().trim().max(65_536).optional(),
  /**
   * The head commit the reviewer looked at. When the merge request has moved on since, the review
   * is a 409 (look at the new commits, then review again). Absent: the current head.
   */
  sha: z
    .string()
    .regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'must be a full commit sha (40 hex digits)')
    .optional(),
});
export type ReviewBody = z.infer<typeof ReviewBody>;

export const ReviewView = z.object({
  id: z.string(),
  reviewer: z.string().nullable(),
  state: ReviewState,
  body: z.string(),
  /** The head commit of the merge request when the review was given. */
  sha: z.string(),
  /** The reviewer's verdict now: their latest approval or request for changes, not withdrawn. */
  current: z.boolean(),
  /** An approval given on an earlier head that no longer counts (the target dismisses stale approvals). */
  stale: z.boolean(),
  withdrawnAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ReviewView = z.infer<typeof ReviewView>;

export const IssueView = z.object({
  id: z.string(),
  number: z.number(),
  title: z.string(),
  body: z.string(),
  labels: z.array(z.string()),
  assignee: z.string().nullable(),
  author: z.string().nullable(),
  state: z.enum(['open', 'closed']),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type IssueView = z.infer<typeof IssueView>;

export const MergeabilityView = z.object({
  status: z.enum(['mergeable', 'fast_forward', 'conflict', 'up_to_date', 'missing_branch']),
  conflicts: z.array(z.string()),
});

export const MergeRequestView = z.object({
  id: z.string(),
  number: z.number(),
  title: z.string(),
  description: z.string(),
  sourceBranch: z.string(),
  targetBranch: z.string(),
  state: z.enum(['open', 'merged', 'closed']),
  headSha: z.string(),
  mergeCommitSha: z.string().nullable(),
  author: z.string().nullable(),
  mergedBy: z.string().nullable(),
  checks: z.array(CheckView),
  mergeability: MergeabilityView.optional(),
  /**
   * While open, when the target branch requires checks or approvals (or a reviewer requested
   * changes): its rule, the approvals that count, and what still blocks the merge (empty: nothing).
   */
  protection: z
    .object({
      requiredChecks: z.array(z.string()),
      requiredApprovals: z.number(),
      dismissStaleApprovals: z.boolean(),
      approvals: z.number(),
      blockers: z.array(MergeBlocker),
    })
    .optional(),
  /** The reviews, oldest first (only on the one merge request's GET). */
  reviews: z.array(ReviewView).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  mergedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export type MergeRequestView = z.infer<typeof MergeRequestView>;

export const CommentView = z.object({
  id: z.string(),
  author: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
});

export const BranchParams = SlugParam.extend({ branch: z.string().min(1).max(255) });

const CheckName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/,
    'use letters, digits and . _ : / - (e.g. pipeline, browser-verification)',
  );

/** Fields left out keep their current value (a rule not set yet: none, 0, true). */
export const BranchProtectionBody = z.object({
  /** The checks that must have passed on the commit a merge brings in; empty: none. */
  requiredChecks: z
    .array(CheckName)
    .max(20, 'require at most 20 checks')
    .transform((names) => [...new Set(names)])
    .optional(),
  /** Approvals by developers other than the author a merge needs (0–10; 0: none). */
  requiredApprovals: z
    .number()
    .int('must be a whole number')
    .min(0)
    .max(10, 'require at most 10 approvals')
    .optional(),
  /** Whether a push to the merge request makes earlier approvals stale (they stop counting). */
  dismissStaleApprovals: z.boolean().optional(),
});
export type BranchProtectionBody = z.infer<typeof BranchProtectionBody>;

export const BranchProtectionView = z.object({
  branch: z.string(),
  /** Protected branches take merges from maintainers only, and may require checks and approvals. */
  protected: z.boolean(),
  requiredChecks: z.array(z.string()),
  requiredApprovals: z.number(),
  dismissStaleApprovals: z.boolean(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type BranchProtectionView = z.infer<typeof BranchProtectionView>;
