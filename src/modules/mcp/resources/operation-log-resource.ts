import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../../platform/context.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { type EventView, failureLines, getOperation, listOperationEvents } from '../../operations/index.ts';
import { type ResourceGateDeps, type ResourceRoute, readBehindGate, variable } from './resource-gate.ts';

/** An operation log resource holds at most this many events (its newest are left out beyond it). */
export const MAX_LOG_EVENTS = 5_000;
const PAGE = 1_000;

// What GET /api/operations/:id/events lets through; the use case checks the operation's project.
const ROUTE: ResourceRoute = {
  method: 'GET',
  url: '/api/operations/:id/events',
  config: { delegated: true },
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The lines one event adds to an operation's log (progress and bookkeeping events add none). */
export function logLines(event: EventView): string[] {
  const d = event.data as Record<string, unknown>;
  const time = event.at.slice(11, 19);
  const step = event.step ?? '';
  switch (event.type) {
    case 'log':
      return String(d.text ?? '')
        .split('\n')
        .map((line) => `${time} ${step} │ ${line}`);
    case 'step': {
      const attempt = typeof d.attempt === 'number' && d.attempt > 1 ? ` (attempt ${d.attempt})` : '';
      return [`${time} ${step}: ${String(d.status)}${attempt}`];
    }
    case 'error':
      return failureLines(event).map((line) => `${time} ${line}`);
    case 'artifact':
      return [
        `${time} ${step} ⇢ ${String(d.kind ?? 'artifact')} ${String(d.name ?? '')} ${String(d.url ?? '')}`,
      ];
    case 'complete': {
      const error = (d.error as { message?: string } | undefined)?.message;
      return [`${time} ■ ${String(d.status)}${error ? `: ${error}` : ''}`];
    }
    default:
      return [];
  }
}

/** `orchard://operations/{id}/log`: an operation's events as a plain-text log. */
export function registerOperationLogResource(
  server: McpServer,
  deps: ResourceGateDeps & { db: Queryable },
  request: FastifyRequest,
  ctx: RequestContext,
) {
  server.registerResource(
    'operation-log',
    new ResourceTemplate('orchard://operations/{id}/log', { list: undefined }),
    {
      title: "An operation's log",
      description:
        'What an operation (a build, deploy, pipeline or verification) did, as text: its steps, their log lines and errors, and how it ended.',
      mimeType: 'text/plain',
    },
    async (uri, variables) => {
      const id = variable(variables.id);
      const text = await readBehindGate(deps, request, ctx, { uri, route: ROUTE }, async () => {
        // Not an id: the same answer as an operation that does not exist.
        if (!UUID.test(id)) throw new NotFoundError(`No operation ${id}.`);
        const op = await getOperation(deps.db, id, { actor: ctx.actor });
        const lines = [
          `${op.kind} ${op.id}: ${op.status}${op.projectSlug ? ` (project ${op.projectSlug})` : ''}`,
        ];
        let after = 0;
        let events = 0;
        for (;;) {
          const page = await listOperationEvents(deps.db, ctx.actor, id, { after, limit: PAGE });
          for (const event of page.items) lines.push(...logLines(event));
          events += page.items.length;
          if (!page.nextCursor) break;
          if (events >= MAX_LOG_EVENTS) {
            lines.push(`… the log goes on after ${events} events: read the rest with get_operation_events.`);
            break;
          }
          after = Number(page.nextCursor);
        }
        return lines.join('\n');
      });
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: `${text}\n` }] };
    },
  );
}
