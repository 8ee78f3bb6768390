import { z } from 'zod';
import { PageQuery } from '../../../platform/http/cursor.ts';
import { refNameProblem } from '../../git/index.ts';
import { AGENT_RUNTIMES } from '../profile/agent-profile.ts';

export const AgentRuntimeName = z.enum(AGENT_RUNTIMES);

export const AgentBudgetInput = z.strictObject({
  maxSteps: z.int().min(1).max(10_000).optional(),
  maxTokens: z.int().min(1).max(1_000_000_000).optional(),
  maxCostUsd: z.number().min(0).max(100_000).optional(),
  maxWallMinutes: z
    .number()
    .min(0.01)
    .max(24 * 60)
    .optional(),
});

export const StartAgentSessionBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  instructions: z.string().max(100_000).default(''),
  /** Default: the project's `.orchard/agent.yml`, else `llm-agent`. */
  runtime: AgentRuntimeName.optional(),
  /** An alias (`coder`) or `provider/model`. */
  model: z.string().trim().min(1).max(200).optional(),
  /** Each limit defaults to the project's `.orchard/agent.yml`, else 40 steps, 400k tokens, $2, 20 minutes. */
  budget: AgentBudgetInput.optional(),
  /** Where the work lands; `orchard/agent-<n>` when not given. Must start with `orchard/`. */
  branch: z
    .string()
    .regex(/^orchard\/[A-Za-z0-9._/-]{1,200}$/, 'must be a branch under orchard/, e.g. orchard/csv-export')
    .refine(
      (name) => !refNameProblem(name),
      'is not a valid branch name (no "..", "//", ".lock" or a trailing "/" or ".")',
    )
    .optional(),
});
export type StartAgentSessionBody = z.infer<typeof StartAgentSessionBody>;

export const ListAgentSessionsQuery = PageQuery.extend({
  project: z.string().min(1).max(100).optional(),
});
export type ListAgentSessionsQuery = z.infer<typeof ListAgentSessionsQuery>;

export const SessionParams = z.object({ id: z.uuid() });
export const SlugParams = z.object({ slug: z.string().min(1).max(100) });

export const SendMessageBody = z.strictObject({ content: z.string().trim().min(1).max(100_000) });

export const EntriesQuery = z.object({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

const DiffStatView = z.object({
  files: z.number(),
  insertions: z.number(),
  deletions: z.number(),
  paths: z.array(z.object({ path: z.string(), insertions: z.number(), deletions: z.number() })),
});

export const AgentSessionView = z.object({
  id: z.string(),
  projectId: z.string(),
  projectSlug: z.string(),
  operationId: z.string().nullable(),
  runtime: z.string(),
  model: z.string().nullable(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  stopReason: z.string().nullable(),
  title: z.string(),
  instructions: z.string(),
  principal: z.string().nullable(),
  startedBy: z.string().nullable(),
  budget: z.object({
    maxSteps: z.number().optional(),
    maxTokens: z.number().optional(),
    maxCostUsd: z.number().optional(),
    maxWallMs: z.number().optional(),
  }),
  spend: z.object({
    steps: z.number(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    costUsd: z.number(),
    wallMs: z.number(),
  }),
  branch: z.string(),
  baseSha: z.string().nullable(),
  headSha: z.string().nullable(),
  diffStat: DiffStatView.nullable(),
  mergeRequestNumber: z.number().nullable(),
  issueNumber: z.number().nullable(),
  summary: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type AgentSessionView = z.infer<typeof AgentSessionView>;

export const AgentSessionEntryView = z.object({
  id: z.number(),
  seq: z.number(),
  run: z.number(),
  kind: z.string(),
  data: z.record(z.string(), z.unknown()),
  /** The whole entry, when `data` was cut. */
  fullUrl: z.string().nullable(),
  createdAt: z.string(),
});
export type AgentSessionEntryView = z.infer<typeof AgentSessionEntryView>;
