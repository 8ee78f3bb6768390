import { z } from 'zod';
import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { EventBus } from '../../../platform/events/index.ts';
import {
  cancelOperation,
  type EventView,
  followOperation,
  getOperation,
  type Registry,
} from '../../operations/index.ts';
import type { ToolCall } from '../mcp-tool.ts';

export interface AwaitOperationDeps {
  db: Db;
  registry: Registry;
  clock: Clock;
  bus?: EventBus;
}

/** How long a long tool follows what it started before answering (MCP clients time out calls). */
export const WaitSeconds = z
  .number()
  .int()
  .min(0)
  .max(600)
  .default(50)
  .describe(
    'Seconds to wait for it to finish, with progress notifications (0: answer at once). If it is still running then, the answer says so; follow it with get_operation.',
  );

/** One line of progress for an event worth telling (step changes, progress, phases); else undefined. */
function describe(event: EventView): string | undefined {
  const data = event.data as Record<string, unknown>;
  const where = event.step ?? 'operation';
  const message = typeof data.message === 'string' ? data.message : undefined;
  switch (event.type) {
    case 'progress': {
      const percent = Math.round(Number(data.fraction ?? 0) * 100);
      return `${where}: ${percent}%${message ? ` ${message}` : ''}`;
    }
    case 'phase':
      return message;
    case 'file':
      return typeof data.path === 'string'
        ? `${where}: ${String(data.action ?? 'changed')} ${data.path}`
        : undefined;
    case 'step':
      return typeof data.status === 'string' ? `${where} ${data.status}` : undefined;
    case 'operation':
      return typeof data.status === 'string' ? `operation ${data.status}` : undefined;
    default:
      return undefined;
  }
}

/**
 * Follows an operation a tool started, turning its events into progress notifications, until it
 * ends or `waitSeconds` pass; the client cancelling the call cancels the operation (a client that
 * only goes away leaves it running). Answers with the operation as get_operation shows it.
 */
export async function awaitOperation(
  deps: AwaitOperationDeps,
  ctx: RequestContext,
  call: ToolCall,
  operationId: string,
  waitSeconds: number,
  /** How to stop what the call started when the client cancels it (default: cancel the operation). */
  cancel: () => Promise<unknown> = () =>
    cancelOperation(deps.db, deps.registry, ctx, operationId, { clock: deps.clock }),
) {
  let ended = false;
  if (waitSeconds > 0) {
    ({ ended } = await followOperation(deps.db, operationId, {
      timeoutMs: waitSeconds * 1_000,
      bus: deps.bus,
      signal: call.signal,
      onEvents: async (events) => {
        for (const event of events) {
          const line = describe(event);
          if (line) await call.progress(line);
        }
      },
    }));
    if (!ended && call.cancelled.aborted) {
      await cancel();
      ended = true;
    }
  }
  const operation = await getOperation(deps.db, operationId, { actor: ctx.actor });
  return {
    ended: ended || ['succeeded', 'failed', 'cancelled'].includes(operation.status),
    operation,
  };
}
