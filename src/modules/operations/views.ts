import type { EventRow } from './events/event-store.ts';
import type { OperationRow, StepRow } from './store.ts';

export function toOperationView(op: OperationRow) {
  return {
    id: op.id,
    kind: op.kind,
    status: op.status,
    projectId: op.project_id,
    projectSlug: op.project_slug ?? null,
    parentOperationId: op.parent_operation_id,
    actor: { id: op.actor_id, name: op.actor_name },
    traceId: op.trace_id,
    cancelRequested: op.cancel_requested,
    run: op.run,
    error: op.error,
    createdAt: op.created_at.toISOString(),
    updatedAt: op.updated_at.toISOString(),
    startedAt: op.started_at?.toISOString() ?? null,
    finishedAt: op.finished_at?.toISOString() ?? null,
  };
}

export function toStepView(step: StepRow) {
  return {
    key: step.key,
    step: step.handler,
    status: step.status,
    parent: step.parent_key,
    dependsOn: step.depends_on,
    queue: step.queue,
    attempt: step.attempt,
    maxAttempts: step.max_attempts,
    runAfter: step.run_after.toISOString(),
    startedAt: step.started_at?.toISOString() ?? null,
    finishedAt: step.finished_at?.toISOString() ?? null,
    error: step.error,
    output: step.output ?? null,
  };
}

export function toEventView(e: EventRow) {
  return {
    id: e.id,
    operationId: e.operation_id,
    step: e.step_key,
    type: e.type,
    data: e.data,
    at: e.created_at.toISOString(),
  };
}

export type OperationView = ReturnType<typeof toOperationView>;
export type StepView = ReturnType<typeof toStepView>;
export type EventView = ReturnType<typeof toEventView>;
