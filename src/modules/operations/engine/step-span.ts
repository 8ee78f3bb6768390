import { SpanKind } from '@opentelemetry/api';
import { endSpan, type TracedSpan, type Tracing } from '../../../platform/tracing.ts';
import type { ClaimedStep } from './claim-steps.ts';
import type { StepOutcome } from './finish-step.ts';

/**
 * The span of one attempt of a step: a child of the span that started the operation (recorded with
 * it, so this holds in any worker process, at any later time). What the handler does — LLM calls,
 * git, pipeline jobs, operations it starts — runs in this span's context.
 */
export function startStepSpan(tracing: Tracing, job: ClaimedStep): TracedSpan {
  const parent = tracing.extract(job.traceparent ?? operationParent(job));
  return tracing.startSpan(
    `${job.kind} ${job.key}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'orchard.operation.id': job.operationId,
        'orchard.operation.kind': job.kind,
        'orchard.step.key': job.key,
        'orchard.step.handler': job.handler,
        'orchard.step.attempt': job.attempt,
        'orchard.step.queue': job.queue,
        'orchard.worker.id': job.leaseOwner,
        ...(job.projectId ? { 'orchard.project.id': job.projectId } : {}),
      },
    },
    parent,
  );
}

/**
 * An operation started outside any trace: its steps still share its `trace_id`, under a parent
 * span id taken from the operation id (no span has it; backends show the operation as the root).
 */
function operationParent(job: ClaimedStep): string {
  return `00-${job.traceId}-${job.operationId.replaceAll('-', '').slice(0, 16)}-01`;
}

/** Ends the span with how the attempt went (`lost`: the lease went to another worker). */
export function endStepSpan(traced: TracedSpan, outcome: StepOutcome | undefined) {
  traced.span.setAttribute('orchard.step.outcome', outcome?.kind ?? 'lost');
  endSpan(traced.span, outcome?.kind === 'failed' ? outcome.error : undefined);
}
