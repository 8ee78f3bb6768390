import type { z } from 'zod';
import type { Queryable } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import type { StepError } from '../errors.ts';
import type { ParkRequest } from './park-request.ts';

/** One node of a workflow's step graph. */
export interface StepSpec {
  /** Unique within the operation (children are keyed `<parent>/<key>`); letters, digits, `_ . : -`. */
  key: string;
  /** The name of a step registered with `defineStep`. */
  step: string;
  input?: unknown;
  /** Keys of steps that must succeed first; their outputs arrive in `ctx.deps`. */
  dependsOn?: string[];
  /** Overrides the step definition's queue. */
  queue?: string;
  /** Overrides the step definition's `retry.maxAttempts` (1–100): tries in all, the first included. */
  maxAttempts?: number;
}

/** What a step handler gets. */
export interface StepContext<I = unknown> {
  operationId: string;
  projectId: string | null;
  stepKey: string;
  input: I;
  /**
   * Outputs of the `dependsOn` steps by key — and of their fan-out children, keyed
   * `<parent>/<child>`.
   */
  deps: Record<string, unknown>;
  /** 1 on the first try. */
  attempt: number;
  /** Aborted on cancellation, timeout, lost lease or worker shutdown (`signal.reason` says which). */
  signal: AbortSignal;
  /** Writes one event row (`phase`, `artifact`, …) for this step. */
  emit(event: { type: string; [k: string]: unknown }): Promise<void>;
  /** A `progress` event: fraction in 0..1. */
  progress(fraction: number, message?: string): Promise<void>;
  /** Buffers a log line; at most one `log` row per 50 ms per stream is written. */
  log(line: string, stream?: 'stdout' | 'stderr'): void;
  /** Fan-out: adds children; steps depending on this one wait for the children too. Idempotent per key. */
  addSteps(specs: StepSpec[]): Promise<void>;
  /**
   * A durable wait: ends this attempt without using it up and parks the step (status `waiting`)
   * until what `request` names happens; then the handler runs again from the top, so it must find
   * out what it was waiting for from the database. A parked step holds no lease and no worker slot.
   */
  park(request?: ParkRequest): never;
  logger: Logger;
}

export interface RetryPolicy {
  /** Tries in all, the first included (default 3). */
  maxAttempts?: number;
  /** Backoff before retry n is random(0, min(maxMs, baseMs × 2^(n-1))) — "full jitter" (default 1 s). */
  baseMs?: number;
  /** The backoff cap (default 60 s). */
  maxMs?: number;
}

export interface StepOptions<I, O> {
  /** Default `default`. */
  queue?: string;
  retry?: RetryPolicy;
  /** Per attempt; the handler's signal is aborted when it passes (default 1 hour). */
  timeoutMs?: number;
  handler: (ctx: StepContext<I>) => Promise<O>;
}

export interface StepDefinition {
  type: 'step';
  name: string;
  queue: string;
  retry: Required<RetryPolicy>;
  timeoutMs: number;
  handler: (ctx: StepContext<unknown>) => Promise<unknown>;
}

/** What a workflow's lifecycle hooks are told about one of its operations. */
export interface OperationChange {
  id: string;
  kind: string;
  projectId: string | null;
  input: unknown;
  /** The run that ended (onEnd), or the run that starts (onRetry). */
  run: number;
  /** How it ended (onEnd), or how the run it retries had ended (onRetry). */
  status: 'failed' | 'cancelled';
  /** The error it ended with; `step` names the failed step (none for a cancel). */
  error: (StepError & { step?: string }) | null;
  at: Date;
}

export interface WorkflowOptions {
  /** May be started with `POST /api/operations`. */
  apiStartable?: boolean;
  /** Only instance admins may start it through the API. */
  adminOnly?: boolean;
  /**
   * A background routine started on a schedule (alert evaluation): its succeeded runs are kept an
   * hour, like canaries, rather than the operations' retention; a failed run stays to be read.
   */
  routine?: boolean;
  /**
   * Runs inside the transaction that ends an operation as failed or cancelled — whoever ends it:
   * a step out of attempts, the reaper, a cancel — under the operation's stream lock. It may write
   * the module's own rows (lock them after the stream lock, never before). A throw is rolled back to
   * before the hook and recorded as an `error` event; the operation ends regardless.
   */
  onEnd?: (tx: Queryable, ended: OperationChange) => Promise<void>;
  /** Runs inside `retryOperation`'s transaction, as onEnd; a throw (a DomainError) refuses the retry. */
  onRetry?: (tx: Queryable, retried: OperationChange) => Promise<void>;
}

export interface WorkflowDefinition<I = unknown> {
  type: 'workflow';
  kind: string;
  input: z.ZodType<I>;
  build: (input: I) => StepSpec[];
  options: WorkflowOptions;
}

export const DEFAULT_QUEUE = 'default';
export const DEFAULT_RETRY: Required<RetryPolicy> = { maxAttempts: 3, baseMs: 1_000, maxMs: 60_000 };
export const DEFAULT_TIMEOUT_MS = 60 * 60_000;
const NAME = /^[a-z][a-z0-9_.:-]{0,99}$/i;

/** Declares a workflow kind: validated input → a DAG of steps. */
export function defineWorkflow<I>(
  kind: string,
  input: z.ZodType<I>,
  build: (input: I) => StepSpec[],
  options: WorkflowOptions = {},
): WorkflowDefinition {
  if (!NAME.test(kind)) throw new Error(`Invalid workflow kind "${kind}"`);
  return { type: 'workflow', kind, input, build, options } as WorkflowDefinition;
}

/** Declares a step handler that workflows refer to by name. */
export function defineStep<I = unknown, O = unknown>(name: string, opts: StepOptions<I, O>): StepDefinition {
  if (!NAME.test(name)) throw new Error(`Invalid step name "${name}"`);
  const retry = { ...DEFAULT_RETRY, ...opts.retry };
  if (retry.maxAttempts < 1 || retry.baseMs < 0 || retry.maxMs < retry.baseMs) {
    throw new Error(`Invalid retry policy for step "${name}"`);
  }
  return {
    type: 'step',
    name,
    queue: opts.queue ?? DEFAULT_QUEUE,
    retry,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    handler: opts.handler as (ctx: StepContext<unknown>) => Promise<unknown>,
  };
}
