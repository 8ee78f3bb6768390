import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import { inContext, type TracedSpan, type Tracing } from '../../../platform/tracing.ts';
import { untilAborted } from '../../../platform/until-aborted.ts';
import {
  LeaseLostError,
  NonRetryableError,
  StepCancelledError,
  StepTimeoutError,
  WorkerStoppingError,
} from '../errors.ts';
import type { OperationMetrics } from '../metrics.ts';
import { loadOutputs } from '../store.ts';
import type { ClaimedStep } from './claim-steps.ts';
import type { StepCompleter } from './complete-steps.ts';
import { DEFAULT_RETRY, type StepContext } from './define.ts';
import { type FinishResult, finishStep, type StepOutcome } from './finish-step.ts';
import { StepParked } from './park-request.ts';
import type { Registry } from './registry.ts';
import { createStepContext } from './step-context.ts';
import { endStepSpan, startStepSpan } from './step-span.ts';

export interface StepRunnerDeps {
  db: Db;
  registry: Registry;
  clock: Clock;
  logger: Logger;
  metrics: OperationMetrics;
  /** Batches successes of this pool into one statement. */
  completer?: StepCompleter;
  random?: () => number;
  /** How long a stopping worker waits for an aborted handler before leaving its lease to expire. */
  releaseGraceMs?: number;
  /** A span per attempt when on (default off). */
  tracing?: Tracing;
  /** Told when a step fails for good (its operation fails); must not throw or wait. */
  onStepFailed?: (failure: StepFailure) => void;
  /** Told when a step parked to wait for another operation to end; must not throw or wait. */
  onParkedOnOperation?: () => void;
}

/** A step that failed for good, with the error its handler threw. */
export interface StepFailure {
  operationId: string;
  kind: string;
  step: string;
  handler: string;
  attempt: number;
  error: unknown;
  /** A NonRetryableError or a time-out: an outcome the operation itself explains, not a bug. */
  expected: boolean;
}

/**
 * Runs one claimed attempt: the handler with its deps, timeout and abort signal, then records the
 * outcome (fenced). Resolves when the outcome is stored (or deliberately not: lost lease).
 */
export async function runStep(
  deps: StepRunnerDeps,
  job: ClaimedStep,
  controller: AbortController,
  /** Called once the handler is done, before its outcome is stored (a pool frees the slot then). */
  handlerDone?: () => void,
): Promise<FinishResult | undefined> {
  const def = deps.registry.step(job.handler);
  const started = performance.now();
  let outcome: StepOutcome | undefined;
  if (job.cancelled) outcome = { kind: 'cancelled' };
  else if (controller.signal.aborted) outcome = beforeStart(controller.signal.reason);
  else if (!def) {
    outcome = {
      kind: 'failed',
      retryable: false,
      error: new Error(
        `No handler for step "${job.handler}" in this worker (is it running the same Orchard version?)`,
      ),
    };
  } else {
    const traced = deps.tracing?.enabled ? startStepSpan(deps.tracing, job) : undefined;
    outcome = await execute(deps, job, controller, def.handler, def.timeoutMs, traced);
    if (traced) endStepSpan(traced, outcome);
  }
  const ranMs = performance.now() - started;
  handlerDone?.();

  const label = outcome?.kind ?? 'lost';
  let result: FinishResult | undefined;
  if (outcome) {
    result = await finishWithRetries(deps, job, outcome, Math.round(ranMs));
    if (outcome.kind === 'failed' && result?.applied && result.status === 'failed' && deps.onStepFailed) {
      try {
        deps.onStepFailed({
          operationId: job.operationId,
          kind: job.kind,
          step: job.key,
          handler: job.handler,
          attempt: job.attempt,
          error: outcome.error,
          expected: outcome.error instanceof NonRetryableError || outcome.error instanceof StepTimeoutError,
        });
      } catch (error) {
        deps.logger.warn({ err: error, operationId: job.operationId }, 'the step-failure hook failed');
      }
    }
    if (result && !result.applied)
      deps.logger.warn(
        { operationId: job.operationId, step: job.key },
        'step lease was lost; result dropped',
      );
  }
  const outcomeLabel =
    result?.status === 'ready' && outcome?.kind === 'failed'
      ? 'retry'
      : result?.applied === false
        ? 'lost'
        : label;
  deps.metrics.stepDuration.observe({ handler: job.handler, outcome: outcomeLabel }, ranMs / 1000);
  if (outcomeLabel === 'retry') deps.metrics.stepRetries.inc({ handler: job.handler });
  return result;
}

/** A step stopped while it waited for a slot: its handler never ran. */
function beforeStart(reason: unknown): StepOutcome | undefined {
  if (reason instanceof LeaseLostError) return undefined;
  if (reason instanceof StepCancelledError) return { kind: 'cancelled' };
  return { kind: 'released' };
}

async function execute(
  deps: StepRunnerDeps,
  job: ClaimedStep,
  controller: AbortController,
  handler: (ctx: StepContext) => Promise<unknown>,
  defaultTimeoutMs: number,
  traced: TracedSpan | undefined,
): Promise<StepOutcome | undefined> {
  const timeoutMs = job.timeoutMs ?? defaultTimeoutMs;
  const timer = setTimeout(
    () => controller.abort(new StepTimeoutError(`Step "${job.key}" timed out after ${timeoutMs} ms`)),
    timeoutMs,
  );
  let settled = false;
  let running: Promise<unknown> | undefined;
  let logs: { flush(): Promise<void> } | undefined;
  try {
    const outputs = await loadOutputs(deps.db, job.operationId, job.dependsOn);
    const built = createStepContext(deps, job, controller.signal, outputs, Boolean(traced));
    logs = built.logs;
    running = Promise.resolve()
      .then(() => (traced ? inContext(traced.context, () => handler(built.ctx)) : handler(built.ctx)))
      .finally(() => {
        settled = true;
      });
    const output = await untilAborted(running, controller.signal);
    await logs.flush();
    return { kind: 'succeeded', output };
  } catch (error) {
    await logs?.flush().catch(() => undefined);
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
    // A durable wait: the handler asked to be run again later (nothing failed).
    if (error instanceof StepParked && reason === undefined)
      return { kind: 'parked', request: error.request };
    if (reason instanceof LeaseLostError) return undefined;
    if (reason instanceof StepCancelledError) return { kind: 'cancelled' };
    if (reason instanceof WorkerStoppingError) {
      // Hand the step back only once the handler really stopped; otherwise another worker could
      // start it while this one still runs. Unreleased, the lease simply expires.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        running?.catch(() => undefined),
        new Promise((r) => {
          timer = setTimeout(r, deps.releaseGraceMs ?? 2_000);
        }),
      ]);
      clearTimeout(timer);
      return settled || !running ? { kind: 'released' } : undefined;
    }
    if (reason instanceof StepTimeoutError) return { kind: 'failed', error: reason, retryable: true };
    return { kind: 'failed', error, retryable: !(error instanceof NonRetryableError) };
  } finally {
    clearTimeout(timer);
  }
}

/** A brief database hiccup must not lose a result: try a few times before leaving it to the reaper. */
async function finishWithRetries(
  deps: StepRunnerDeps,
  job: ClaimedStep,
  outcome: StepOutcome,
  durationMs: number,
) {
  const retry = deps.registry.step(job.handler)?.retry ?? DEFAULT_RETRY;
  for (let attempt = 0; ; attempt++) {
    try {
      if (outcome.kind === 'succeeded' && deps.completer)
        return await deps.completer.complete(job, outcome.output, durationMs);
      const finished = await finishStep(deps.db, job, outcome, {
        clock: deps.clock,
        registry: deps.registry,
        retry,
        random: deps.random,
        durationMs,
      });
      if (outcome.kind === 'parked' && outcome.request.operationId) deps.onParkedOnOperation?.();
      return finished;
    } catch (error) {
      if (attempt >= 3) {
        deps.logger.error(
          { err: error, operationId: job.operationId, step: job.key },
          'could not record step result',
        );
        return undefined;
      }
      await new Promise((r) => setTimeout(r, 100 * 4 ** attempt));
    }
  }
}
