/** The operations engine's public face: durable workflows, workers, events. */
export { registerCanaryJobs } from './canary.ts';
export { cancelOperation } from './cancel-operation.ts';
export { EventCoalescer } from './coalescer.ts';
export { createDeepCheck, type DeepCheckResult } from './deep-check.ts';
export {
  defineStep,
  defineWorkflow,
  type OperationChange,
  type RetryPolicy,
  type StepContext,
  type StepDefinition,
  type StepSpec,
  type WorkflowDefinition,
} from './define.ts';
export { NonRetryableError } from './errors.ts';
export { type FailureEvent, failureLines } from './failure-lines.ts';
export { getOperation } from './get-operation.ts';
export { listOperations } from './list-operations.ts';
export { lockProjectOperations } from './lock.ts';
export { pruneOperations, startOperationPruner } from './prune-operations.ts';
export { Registry } from './registry.ts';
export { retryOperation } from './retry-operation.ts';
export { operationsRoutes } from './routes.ts';
export { type StartOperationOptions, startOperation } from './start-operation.ts';
export type { OperationRow, OperationStatus } from './store.ts';
export type { EventView, OperationView, StepView } from './views.ts';
export { waitForOperation } from './wait-for-operation.ts';
export { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from './worker-pool.ts';
