import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { STEPS_CHANNEL } from '../events/channels.ts';
import { Notices, publish } from '../events/notices.ts';
import type { StepStatus } from '../store.ts';
import type { ClaimedStep } from './claim-steps.ts';

export interface FinishResult {
  /** False when this worker no longer held the lease: nothing was written. */
  applied: boolean;
  status?: StepStatus;
  retryAt?: Date;
}

interface Completion {
  job: ClaimedStep;
  output: unknown;
  durationMs: number;
  done: (result: FinishResult) => void;
  failed: (error: unknown) => void;
}

interface Row {
  o_id: number;
  o_status: StepStatus;
  o_ready_queues: string[];
  o_last_event: number;
}

/**
 * Completes succeeded steps — fenced, settling what follows (orchard_complete_steps) — batching
 * those that finish while the previous statement is in flight: one round trip and one commit for
 * many steps when busy, no added wait when idle.
 */
export class StepCompleter {
  private queue: Completion[] = [];
  private sending = false;

  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly maxBatch = 64,
  ) {}

  complete(job: ClaimedStep, output: unknown, durationMs: number): Promise<FinishResult> {
    return new Promise((done, failed) => {
      this.queue.push({ job, output, durationMs, done, failed });
      if (!this.sending) void this.send();
    });
  }

  private async send() {
    this.sending = true;
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await completeSteps(this.db, this.clock, batch);
        for (const [i, c] of batch.entries()) c.done(results[i]!);
      } catch (error) {
        for (const c of batch) c.failed(error);
      }
    }
    this.sending = false;
  }
}

/** Completes succeeded steps in one statement; a step whose lease this worker lost is not applied. */
export async function completeSteps(
  db: Queryable,
  clock: Clock,
  batch: Array<{ job: ClaimedStep; output: unknown; durationMs: number }>,
): Promise<FinishResult[]> {
  const { rows } = await db.query<Row>({
    name: 'orchard_complete_steps',
    text: 'SELECT * FROM orchard_complete_steps($1, $2, $3, $4, $5, $6)',
    values: [
      batch.map((c) => c.job.id),
      batch.map((c) => c.job.leaseOwner),
      batch.map((c) => c.job.attempt),
      batch.map((c) => JSON.stringify(c.output ?? null)),
      clock.now(),
      batch.map((c) => c.durationMs),
    ],
  });
  const byId = new Map(rows.map((r) => [r.o_id, r]));
  const notices = new Notices();
  const results = batch.map(({ job }): FinishResult => {
    const row = byId.get(job.id);
    if (!row) return { applied: false };
    notices.event(job.operationId, job.projectId, row.o_last_event);
    for (const queue of row.o_ready_queues) notices.add(STEPS_CHANNEL, queue);
    return { applied: true, status: row.o_status };
  });
  publish(db, notices);
  return results;
}
