import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { STEPS_CHANNEL } from '../events/channels.ts';
import { retryDelayMs } from './backoff.ts';
import type { ClaimedStep } from './claim-steps.ts';
import { completeSteps, type FinishResult } from './complete-steps.ts';

export type { FinishResult } from './complete-steps.ts';

import { type StepError, toStepError } from '../errors.ts';
import { appendEvents } from '../events/event-store.ts';
import { transact } from '../events/notices.ts';
import type { StepStatus } from '../store.ts';
import type { RetryPolicy } from './define.ts';
import { lockStreams, streamKey } from './lock.ts';
import type { ParkRequest } from './park-request.ts';
import { type ParkDecision, parkDecision } from './park-step.ts';
import type { Registry } from './registry.ts';
import { attemptFailed, endOperation, type Settling, stepEvent } from './settle.ts';

export type StepOutcome =
  | { kind: 'succeeded'; output: unknown }
  /** `retryable: false` fails the step at once (NonRetryableError); otherwise the policy decides. */
  | { kind: 'failed'; error: unknown; retryable: boolean }
  | { kind: 'cancelled' }
  /** Handed back unfinished (worker shutdown): ready again, the attempt not counted. */
  | { kind: 'released' }
  /** A durable wait (StepContext.park): `waiting` until woken, the attempt not counted. */
  | { kind: 'parked'; request: ParkRequest };

interface FinishOptions {
  clock: Clock;
  /** The operation's workflow hooks are found here. */
  registry: Registry;
  retry: Required<RetryPolicy>;
  random?: () => number;
  durationMs?: number;
}

/**
 * Records how an attempt ended — fenced on (lease owner, attempt, running), so a worker that lost
 * its lease can neither complete nor overwrite — and settles what follows, in one transaction.
 * (Worker pools batch successes through StepCompleter instead.)
 */
export async function finishStep(
  db: Db,
  job: ClaimedStep,
  outcome: StepOutcome,
  options: FinishOptions,
): Promise<FinishResult> {
  if (outcome.kind !== 'succeeded') return settleOther(db, job, outcome, options);
  const [result] = await completeSteps(db, options.clock, [
    { job, output: outcome.output, durationMs: options.durationMs ?? 0 },
  ]);
  return result!;
}

async function settleOther(
  db: Db,
  job: ClaimedStep,
  outcome: Exclude<StepOutcome, { kind: 'succeeded' }>,
  options: FinishOptions,
): Promise<FinishResult> {
  return transact(db, async (tx, notices) => {
    const now = options.clock.now();
    const s: Settling = {
      tx,
      now,
      operationId: job.operationId,
      projectId: job.projectId,
      events: [],
      notices,
      registry: options.registry,
    };
    await lockStreams(tx, [streamKey(job)]);
    const op = await tx.query<{ active: boolean }>(
      `SELECT status IN ('queued', 'running') AND NOT cancel_requested AS active FROM operations WHERE id = $1`,
      [job.operationId],
    );
    const active = op.rows[0]?.active ?? false;
    let status: StepStatus = 'cancelled';
    let error: StepError | null = null;
    let runAfter = now;
    let attempt = job.attempt;
    let park: ParkDecision | undefined;
    if (outcome.kind === 'parked' && active) {
      park = await parkDecision(tx, outcome.request, now);
      status = park.ready ? 'ready' : 'waiting';
      attempt -= 1;
    } else if (outcome.kind === 'failed' && active) {
      const retry = outcome.retryable && job.attempt < job.maxAttempts;
      error = toStepError(outcome.error, retry);
      status = retry ? 'ready' : 'failed';
      if (retry)
        runAfter = new Date(now.getTime() + retryDelayMs(job.attempt, options.retry, options.random));
    } else if (outcome.kind !== 'failed' && active) {
      // Handed back by a stopping worker — or stopped by a cancel (or failure) of a run that has
      // been retried since: either way the step belongs to the current run, ready again.
      status = 'ready';
      attempt -= 1;
    }
    const { rowCount } = await tx.query(
      `UPDATE steps SET status = $4, attempt = $5, error = $6, run_after = $7, lease_owner = NULL,
         lease_expires_at = NULL, updated_at = $8,
         finished_at = CASE WHEN $4 IN ('failed', 'cancelled') THEN $8::timestamptz END,
         parked_until = $9, awaits_operation = $10
       WHERE id = $1 AND lease_owner = $2 AND attempt = $3 AND status = 'running'`,
      [
        job.id,
        job.leaseOwner,
        job.attempt,
        status,
        attempt,
        error ? JSON.stringify(error) : null,
        runAfter,
        now,
        park && !park.ready ? park.until : null,
        park && !park.ready ? park.awaits : null,
      ],
    );
    if (!rowCount) return { applied: false };
    const base = {
      attempt: job.attempt,
      ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
    };
    if (park) {
      stepEvent(s, job.key, { status, ...base, parked: park.event });
      if (park.ready) notices.add(STEPS_CHANNEL, job.queue);
    } else if (status === 'ready') {
      const detail =
        outcome.kind === 'failed'
          ? { error: error?.message, retryAt: runAfter.toISOString() }
          : { released: true };
      stepEvent(s, job.key, { status, ...base, ...detail });
      if (error) attemptFailed(s, job, error, runAfter);
      if (runAfter <= now) notices.add(STEPS_CHANNEL, job.queue);
    } else if (status === 'failed' && error) {
      stepEvent(s, job.key, { status, ...base, error: error.message });
      attemptFailed(s, job, error);
      await endOperation(s, 'failed', { ...error, step: job.key });
    } else {
      stepEvent(s, job.key, { status, ...base });
    }
    await appendEvents(tx, s.events, now, notices);
    return {
      applied: true,
      status,
      ...(status === 'ready' && outcome.kind === 'failed' ? { retryAt: runAfter } : {}),
    };
  });
}
