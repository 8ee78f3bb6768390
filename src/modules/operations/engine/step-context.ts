import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import { emitEvent } from '../events/emit-event.ts';
import { addChildSteps } from './add-steps.ts';
import type { ClaimedStep } from './claim-steps.ts';
import { EventCoalescer } from './coalescer.ts';
import type { StepContext } from './define.ts';
import { StepParked } from './park-request.ts';
import type { Registry } from './registry.ts';

/** Builds the context a handler runs with; `logs` must be flushed before the attempt is finished. */
export function createStepContext(
  deps: { db: Db; registry: Registry; clock: Clock; logger: Logger },
  job: ClaimedStep,
  signal: AbortSignal,
  outputs: Record<string, unknown>,
  /** The handler runs in the step's span: the logger's mixin adds trace_id and span_id then. */
  traced = false,
): { ctx: StepContext; logs: EventCoalescer } {
  const { db, clock } = deps;
  const target = { operationId: job.operationId, projectId: job.projectId, stepKey: job.key };
  const logger = deps.logger.child({
    operationId: job.operationId,
    step: job.key,
    attempt: job.attempt,
    ...(traced ? {} : { trace_id: job.traceId }),
  });
  const logs = new EventCoalescer(
    (stream, text, dropped) =>
      emitEvent(db, clock, target, { type: 'log', stream, text, ...(dropped ? { dropped } : {}) }),
    { onError: (error) => logger.warn({ err: error }, 'could not write log event') },
  );
  const ctx: StepContext = {
    operationId: job.operationId,
    projectId: job.projectId,
    stepKey: job.key,
    input: job.input,
    deps: outputs,
    attempt: job.attempt,
    signal,
    emit: (event) => emitEvent(db, clock, target, event),
    progress: (fraction, message) =>
      emitEvent(db, clock, target, {
        type: 'progress',
        fraction: Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0)),
        ...(message !== undefined ? { message } : {}),
      }),
    log: (line, stream = 'stdout') => logs.append(stream, line),
    addSteps: (specs) => addChildSteps(db, deps.registry, job, specs, clock),
    park: (request = {}) => {
      throw new StepParked(request);
    },
    logger,
  };
  return { ctx, logs };
}
