import { z } from 'zod';
import { PageQuery } from '../../platform/http/cursor.ts';

export const SlugParam = z.object({ slug: z.string().min(1).max(100) });
export const WorkflowParams = SlugParam.extend({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be a workflow file name without .yml'),
});
export const ApprovalParams = SlugParam.extend({ id: z.uuid() });

export const WorkflowIssueView = z.object({
  file: z.string(),
  line: z.number().nullable(),
  column: z.number().nullable(),
  field: z.string(),
  message: z.string(),
});

export const WorkflowView = z.object({
  /** The file's name without `.yml`: what runs are started by. */
  name: z.string(),
  file: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  valid: z.boolean(),
  /** Each problem with its line (empty when valid). */
  errors: z.array(WorkflowIssueView),
  inputs: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['string', 'number', 'boolean', 'list']),
      description: z.string().nullable(),
      required: z.boolean(),
      default: z.unknown(),
      options: z.array(z.string()).nullable(),
    }),
  ),
  steps: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      name: z.string().nullable(),
      needs: z.array(z.string()),
      fanOut: z.boolean(),
      retries: z.number(),
      timeoutMs: z.number().nullable(),
    }),
  ),
  /** Cron expressions of `on.schedule` (UTC). */
  schedules: z.array(z.string()),
});
export type WorkflowView = z.infer<typeof WorkflowView>;

export const WorkflowList = z.object({
  /** The branch workflows are read from, and its head commit (null: nothing pushed yet). */
  ref: z.string(),
  sha: z.string().nullable(),
  items: z.array(WorkflowView),
  nextCursor: z.null(),
});
export type WorkflowList = z.infer<typeof WorkflowList>;

export const RunWorkflowBody = z.strictObject({
  /** What pipelines and deploys act on unless a step says otherwise (default: the default branch). */
  ref: z.string().min(1).max(255).optional(),
  /** Values for the file's `inputs` (defaults fill the rest). */
  inputs: z.record(z.string().max(64), z.unknown()).default({}),
});
export type RunWorkflowBody = z.input<typeof RunWorkflowBody>;

export const WorkflowRunView = z.object({
  /** The run's operation: follow it at /api/operations/:id/events. */
  id: z.string(),
  workflow: z.string(),
  ref: z.string(),
  sha: z.string(),
  trigger: z.enum(['manual', 'schedule']),
  inputs: z.record(z.string(), z.unknown()),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  actor: z.object({ id: z.string().nullable(), name: z.string() }),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type WorkflowRunView = z.infer<typeof WorkflowRunView>;

export const ListRunsQuery = PageQuery;

export const ApprovalStatusEnum = z.enum(['pending', 'approved', 'rejected', 'expired', 'cancelled']);
export const ListApprovalsQuery = z.object({
  status: ApprovalStatusEnum.optional(),
  /** Only the approvals of this run. */
  run: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const ApprovalView = z.object({
  id: z.string(),
  workflow: z.string(),
  /** The run (operation) that waits. */
  runId: z.string(),
  step: z.string(),
  title: z.string(),
  description: z.string(),
  /** The least project role that may decide. */
  role: z.enum(['developer', 'maintainer', 'owner']),
  status: ApprovalStatusEnum,
  deadline: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  comment: z.string(),
  createdAt: z.string(),
  /** Whether the caller may approve or reject it now. */
  canDecide: z.boolean(),
});
export type ApprovalView = z.infer<typeof ApprovalView>;

export const DecideBody = z.strictObject({ comment: z.string().max(2_000).default('') });
