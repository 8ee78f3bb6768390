import { z } from 'zod';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { type DeployRuntime, tailAppLogs } from '../../deploy/index.ts';
import {
  exportConversation,
  type LlmGateway,
  listConversations,
  readLlmStats,
  StatsQuery,
} from '../../llm/index.ts';
import {
  cancelOperation,
  getOperation,
  listOperationEvents,
  listOperations,
  type Registry,
  toOperationView,
} from '../../operations/index.ts';
import { defineTool } from '../mcp-tool.ts';
import { Cursor, Limit, Slug } from './tool-inputs.ts';

const OperationId = z
  .uuid()
  .describe('The operation id (builds, deploys, pipelines and agent sessions are operations)');

export type ObserveToolDeps = {
  db: Db;
  registry: Registry;
  clock: Clock;
  llm: LlmGateway;
  deploy: Pick<DeployRuntime, 'deps' | 'supervisor'>;
};

/** observe: operations (builds, deploys, pipelines, verifications) — list, inspect, follow, cancel; LLM stats; app logs. */
export function observeTools(deps: ObserveToolDeps) {
  return [
    defineTool({
      name: 'list_operations',
      set: 'observe',
      title: 'List operations',
      description:
        'Operations you can see, newest first: builds, deploys, pipelines, verifications and agent sessions, with their status. Filter by project, status or kind (e.g. studio.build).',
      input: z.object({
        project: z.string().min(1).max(100).optional().describe("A project's slug"),
        status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']).optional(),
        kind: z.string().min(1).max(100).optional(),
        limit: Limit,
        cursor: Cursor,
      }),
      route: { method: 'GET', url: '/api/operations', config: { delegated: true } },
      run: (ctx, args) => listOperations(deps.db, ctx.actor, args),
    }),
    defineTool({
      name: 'get_operation',
      set: 'observe',
      title: 'Get an operation',
      description:
        'One operation with its steps: status, progress, attempts, durations, outputs and the error that ended it.',
      input: z.object({ id: OperationId }),
      route: { method: 'GET', url: '/api/operations/:id', config: { delegated: true } },
      run: (ctx, args) => getOperation(deps.db, args.id, { actor: ctx.actor }),
    }),
    defineTool({
      name: 'get_operation_events',
      set: 'observe',
      title: "Read an operation's events",
      description:
        "An operation's events, oldest first: its steps' status changes, progress, log lines (type log: data.text), artifacts, errors and its end (type complete). Page on with after = nextCursor; step keeps one step's events (and its children's).",
      input: z.object({
        id: OperationId,
        after: z
          .number()
          .int()
          .min(0)
          .max(Number.MAX_SAFE_INTEGER)
          .default(0)
          .describe('Events after this id'),
        limit: z.number().int().min(1).max(1000).default(200),
        step: z.string().min(1).max(300).optional().describe('A step key, e.g. test'),
      }),
      route: { method: 'GET', url: '/api/operations/:id/events', config: { delegated: true } },
      run: (ctx, { id, ...query }) => listOperationEvents(deps.db, ctx.actor, id, query),
    }),
    defineTool({
      name: 'cancel_operation',
      set: 'observe',
      title: 'Cancel an operation',
      description:
        'Cancels a queued or running operation (developers of its project); its running steps are told to stop.',
      input: z.object({ id: OperationId }),
      route: { method: 'POST', url: '/api/operations/:id/cancel' },
      minRole: 'developer',
      run: async (ctx, args) =>
        toOperationView(await cancelOperation(deps.db, deps.registry, ctx, args.id, { clock: deps.clock })),
    }),
    defineTool({
      name: 'llm_stats',
      set: 'observe',
      title: 'LLM statistics',
      description:
        "LLM calls over a window: count, error, retry and fallback rates, time to first token and duration (p50/p95), tokens and cost by provider, model and project. A project's calls for its members (project), every call for instance admins.",
      input: StatsQuery.extend({ project: StatsQuery.shape.project.describe("A project's slug") }),
      route: { method: 'GET', url: '/api/llm/stats' },
      run: (ctx, args) => readLlmStats(deps, ctx.actor, args),
    }),
    defineTool({
      name: 'get_app_logs',
      set: 'observe',
      title: "Read an app's log",
      description:
        "The last lines of the log of an app an environment runs (its stdout, stderr and Orchard's own notes about it), oldest first.",
      input: z.object({
        slug: Slug,
        env: z.string().min(1).max(300).describe('staging, production or preview/<branch>'),
        tail: z.number().int().min(0).max(2_000).default(200).describe('How many of the last lines'),
      }),
      route: { method: 'GET', url: '/api/projects/:slug/environments/:env/logs' },
      slugOf: (args) => args.slug,
      run: async (ctx, args) => {
        const { lines } = await tailAppLogs(
          { db: deps.db, home: deps.deploy.deps.config.home, supervisor: deps.deploy.supervisor },
          ctx.actor,
          args,
        );
        return { items: lines };
      },
    }),
    defineTool({
      name: 'search_conversations',
      set: 'observe',
      title: 'Search conversations',
      description:
        'Conversations you may read (the Studio\'s chats with the Architect among them), newest first; with q, a full-text search over their messages (words, "phrases", -exclusions, or) returning the best-matching passage with the terms wrapped in «».',
      input: z.object({
        project: z
          .string()
          .min(1)
          .max(100)
          .optional()
          .describe("Only this project's conversations (its slug)"),
        q: z.string().trim().min(1).max(200).optional().describe('What to search for'),
        limit: Limit,
        cursor: Cursor,
      }),
      route: { method: 'GET', url: '/api/conversations' },
      run: (ctx, args) => listConversations(deps.db, ctx.actor, args),
    }),
    defineTool({
      name: 'export_conversation',
      set: 'observe',
      title: 'Export a conversation',
      description:
        'One conversation as Markdown (a heading per message with its role, time and the model that answered) or as JSON.',
      input: z.object({
        id: z.uuid().describe('The conversation id'),
        format: z.enum(['markdown', 'json']).default('markdown'),
      }),
      route: { method: 'GET', url: '/api/conversations/:id/export' },
      run: async (ctx, args) =>
        (await exportConversation(deps.db, ctx.actor, args.id, args.format, deps.clock.now())).body,
    }),
  ];
}
