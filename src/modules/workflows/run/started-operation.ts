import { NotFoundError } from '../../../platform/errors.ts';
import {
  cancelOperation,
  getOperation,
  NonRetryableError,
  type OperationView,
} from '../../operations/index.ts';
import { formatDuration } from '../file/duration.ts';
import { findLiveAction, recordAction, spendAction } from './action-store.ts';
import type { KindCall } from './kind-call.ts';

type Operation = Awaited<ReturnType<typeof getOperation>>;

/**
 * The pattern of the steps that hand their work to another operation (a pipeline, an agent
 * session, a deploy, a verification, a task): start it once and record it, then park — holding no
 * worker — until it ends; woken, read how it ended. A step run again after its worker died finds
 * the recorded operation instead of starting another. `timeout` bounds the wait: past it, the
 * started operation is cancelled and the attempt fails (retries apply).
 */
export async function runStartedOperation(
  call: KindCall,
  what: string,
  start: () => Promise<{ operationId: string; detail: Record<string, unknown> }>,
  finish: (operation: Operation, detail: Record<string, unknown>) => Promise<unknown>,
): Promise<unknown> {
  const { ctx, deps } = call;
  let action = await findLiveAction(deps.db, ctx.operationId, ctx.stepKey);
  if (!action) {
    const started = await start();
    const now = deps.clock.now();
    const timeout = call.input.step.timeout;
    action = await recordAction(deps.db, {
      operation_id: ctx.operationId,
      step_key: ctx.stepKey,
      kind: call.input.step.kind,
      started_operation_id: started.operationId,
      detail: started.detail,
      deadline: timeout ? new Date(now.getTime() + timeout) : null,
      created_at: now,
    });
    await ctx.emit({
      type: 'phase',
      message: `${what} started (operation ${started.operationId})`,
      operation: started.operationId,
    });
  }
  const operation = await getOperation(deps.db, action.started_operation_id).catch((error) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  if (operation && (operation.status === 'queued' || operation.status === 'running')) {
    if (action.deadline && action.deadline <= deps.clock.now()) {
      await cancelOperation(deps.db, deps.registry, call.request, operation.id, { clock: deps.clock }).catch(
        () => undefined,
      );
      await spendAction(deps.db, ctx.operationId, ctx.stepKey);
      throw new Error(
        `${what} did not finish within ${formatDuration(call.input.step.timeout ?? 0)}; it was cancelled.`,
      );
    }
    ctx.park({ operationId: operation.id, until: action.deadline ?? undefined, reason: 'operation' });
  }
  if (operation?.status === 'succeeded') return finish(operation, action.detail);
  await spendAction(deps.db, ctx.operationId, ctx.stepKey);
  if (!operation)
    throw new NonRetryableError(`${what} (operation ${action.started_operation_id}) no longer exists.`);
  throw new Error(`${what} ${operation.status}${operation.error ? `: ${operation.error.message}` : ''}`);
}

export type { OperationView };
