import { z } from 'zod';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import {
  cancelOperation,
  getOperation,
  listOperations,
  type Registry,
  toOperationView,
} from '../../operations/index.ts';
import { defineTool } from '../mcp-tool.ts';
import { Cursor, Limit } from './tool-inputs.ts';

const OperationId = z
  .uuid()
  .describe('The operation id (builds, deploys, pipelines and agent sessions are operations)');

/** observe: operations (builds, deploys, pipelines, verifications) — list, inspect, cancel. */
export function observeTools(deps: { db: Db; registry: Registry; clock: Clock }) {
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
  ];
}
