/** The operations engine's public face: durable workflows, workers, events. */
export { registerCanaryJobs } from './canary.ts';
export { cancelOperation } from './cancel-operation.ts';
export { countStepAttempts, type StepAttempts } from './count-step-attempts.ts';
export { createDeepCheck, type DeepCheckResult } from './deep-check.ts';
export { EventCoalescer } from './engine/coalescer.ts';
export {
  defineStep,
  defineWorkflow,
  type OperationChange,
  type RetryPolicy,
  type StepContext,
  type StepDefinition,
  type StepSpec,
  type WorkflowDefinition,
} from './engine/define.ts';
export { lockProjectOperations } from './engine/lock.ts';
export { type ParkRequest, StepParked } from './engine/park-request.ts';
export { Registry } from './engine/registry.ts';
export type { StepFailure } from './engine/run-step.ts';
export { wakeDueSteps, wakeStep } from './engine/wake-steps.ts';
export { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from './engine/worker-pool.ts';
export { NonRetryableError } from './errors.ts';
export { type ProjectStreamEvent, withProjectStream } from './events/project-stream.ts';
export { type FailureEvent, failureLines } from './failure-lines.ts';
export { findLatestOperations, type LatestOperation } from './find-latest-operations.ts';
export { findLiveOperations } from './find-live-operations.ts';
export { findOperationByKey } from './find-operation-by-key.ts';
export { findOperationTrees } from './find-operation-trees.ts';
export { findStepOutputs } from './find-step-outputs.ts';
export { type FollowOptions, followOperation } from './follow-operation.ts';
export { getOperation } from './get-operation.ts';
export { listOperationEvents } from './list-operation-events.ts';
export { listOperations } from './list-operations.ts';
export { pruneOperations, startOperationPruner } from './prune-operations.ts';
export { retryOperation } from './retry-operation.ts';
export { operationsRoutes } from './routes.ts';
export { type StartOperationOptions, startOperation } from './start-operation.ts';
export { stepHasParked } from './step-has-parked.ts';
export { findOperation, type OperationRow, type OperationStatus } from './store.ts';
export { type EventView, type OperationView, type StepView, toOperationView } from './views.ts';
export { waitForOperation } from './wait-for-operation.ts';
