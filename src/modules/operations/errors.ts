/** Thrown by a step handler to fail its step at once, without retries. */
export class NonRetryableError extends Error {
  override name = 'NonRetryableError';
}

/** The reason a step's signal is aborted with when its time limit passes. */
export class StepTimeoutError extends Error {
  override name = 'StepTimeoutError';
}

/** The reason a step's signal is aborted with when its operation is cancelled or has failed. */
export class StepCancelledError extends Error {
  override name = 'StepCancelledError';
}

/** The reason a step's signal is aborted with when this worker no longer holds its lease. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

/** The reason a step's signal is aborted with when the worker pool stops. */
export class WorkerStoppingError extends Error {
  override name = 'WorkerStoppingError';
}

/** A step's error as stored and shown: never a stack trace. */
export type StepError = {
  message: string;
  name: string;
  retryable: boolean;
};

export function toStepError(error: unknown, retryable: boolean): StepError {
  const e = error instanceof Error ? error : new Error(String(error));
  return { message: e.message.slice(0, 4000), name: e.name, retryable };
}
