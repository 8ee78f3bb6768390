import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { STEPS_CHANNEL } from '../events/channels.ts';
import { appendEvents } from '../events/event-store.ts';
import { transact } from '../events/notices.ts';
import type { StepStatus } from '../store.ts';
import { lockStreams, streamKey } from './lock.ts';
import type { Registry } from './registry.ts';
import { attemptFailed, endOperation, type Settling, stepEvent } from './settle.ts';

export interface ReapedStep {
  key: string;
  queue: string;
  status: StepStatus;
  expiredOwner: string;
}

/**
 * Returns steps whose lease expired (their worker died or stalled) to the ready set — the attempt
 * counts — or fails them when no attempts are left, or cancels them when their operation ended.
 */
export async function reapExpiredLeases(
  db: Db,
  registry: Registry,
  clock: Clock,
  limit = 100,
): Promise<ReapedStep[]> {
  const now = clock.now();
  const { rows: expired } = await db.query<{ operation_id: string; project_id: string | null }>(
    `SELECT DISTINCT s.operation_id, o.project_id FROM steps s JOIN operations o ON o.id = s.operation_id
     WHERE s.status = 'running' AND s.lease_expires_at < $1 LIMIT $2`,
    [now, limit],
  );
  const reaped: ReapedStep[] = [];
  for (const op of expired) {
    reaped.push(
      ...(await reapOperation(db, registry, { operationId: op.operation_id, projectId: op.project_id }, now)),
    );
  }
  return reaped;
}

const LEASE_EXPIRED = 'The worker running this step stopped heartbeating (lease expired).';

async function reapOperation(
  db: Db,
  registry: Registry,
  op: { operationId: string; projectId: string | null },
  now: Date,
) {
  return transact(db, async (tx, notices) => {
    await lockStreams(tx, [streamKey(op)]);
    const s: Settling = { tx, now, ...op, events: [], notices, registry };
    // Re-checked under the lock: a heartbeat may have renewed the lease meanwhile. Rows are locked
    // in id order, as every multi-row update of steps does (heartbeats lock running steps too).
    const { rows } = await tx.query<ReapedStep & { attempt: number; maxAttempts: number }>(
      `WITH old AS (
         SELECT s.id, s.lease_owner FROM steps s
         WHERE s.operation_id = $1 AND s.status = 'running' AND s.lease_expires_at < $2
         ORDER BY s.id FOR UPDATE
       )
       UPDATE steps s SET
         status = CASE WHEN o.cancel_requested OR o.status NOT IN ('queued', 'running') THEN 'cancelled'
                       WHEN s.attempt >= s.max_attempts THEN 'failed' ELSE 'ready' END,
         error = jsonb_build_object('message', $3::text, 'name', 'LeaseExpired', 'retryable', s.attempt < s.max_attempts),
         finished_at = CASE WHEN o.cancel_requested OR o.status NOT IN ('queued', 'running')
                              OR s.attempt >= s.max_attempts THEN $2::timestamptz END,
         lease_owner = NULL, lease_expires_at = NULL, run_after = $2, updated_at = $2
       FROM old, operations o
       WHERE s.id = old.id AND o.id = s.operation_id
       RETURNING s.key, s.queue, s.status, s.attempt, s.max_attempts AS "maxAttempts",
                 old.lease_owner AS "expiredOwner"`,
      [op.operationId, now, LEASE_EXPIRED],
    );
    let failed: (typeof rows)[number] | undefined;
    for (const r of rows) {
      stepEvent(s, r.key, {
        status: r.status,
        attempt: r.attempt,
        reason: 'lease_expired',
        expiredWorker: r.expiredOwner,
      });
      if (r.status === 'ready') {
        notices.add(STEPS_CHANNEL, r.queue);
        attemptFailed(s, r, { message: LEASE_EXPIRED, name: 'LeaseExpired' }, now);
      }
      if (r.status === 'failed') failed ??= r;
    }
    if (failed) {
      const message =
        'The worker running this step stopped heartbeating (lease expired) and no attempts are left.';
      attemptFailed(s, failed, { message, name: 'LeaseExpired' });
      await endOperation(s, 'failed', { message, name: 'LeaseExpired', retryable: false, step: failed.key });
    }
    await appendEvents(tx, s.events, now, notices);
    return rows.map(({ attempt: _attempt, maxAttempts: _max, ...r }) => r);
  });
}
