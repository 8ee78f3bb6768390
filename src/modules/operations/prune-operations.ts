import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/pool.ts';
import type { Logger } from '../../platform/log.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { startTicker } from '../../platform/ticker.ts';
import { CANARY_KIND } from './canary.ts';

/**
 * Canaries are diagnostics (every `/ready?deep=1` probe makes one): kept an hour; so are the
 * succeeded runs of routines (an alert evaluation a minute).
 */
export const CANARY_RETENTION_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export interface PruneOptions {
  /** Finished operations older than this are deleted; 0 keeps them (canaries excepted). */
  retentionDays: number;
  /** Rows per statement. */
  batchSize?: number;
  /** Statements per sweep, so one sweep never holds the database long. */
  maxBatches?: number;
  /** Kinds whose succeeded runs are kept only an hour (the registry's routineKinds()). */
  routineKinds?: readonly string[];
}

/**
 * Deletes finished operations past their retention — their steps by cascade, their events by the
 * `operations_delete_events` trigger — oldest first, in batches. Rows another sweeper holds are
 * skipped, so every process that runs workers may sweep. Returns how many were deleted.
 */
export async function pruneOperations(db: Queryable, clock: Clock, options: PruneOptions): Promise<number> {
  const now = clock.now().getTime();
  const canaryBefore = new Date(now - CANARY_RETENTION_MS);
  const before = options.retentionDays > 0 ? new Date(now - options.retentionDays * DAY_MS) : null;
  const batchSize = options.batchSize ?? 500;
  let deleted = 0;
  for (let batch = 0; batch < (options.maxBatches ?? 20); batch++) {
    const { rowCount } = await db.query(
      `WITH doomed AS (
         SELECT id FROM operations
         WHERE finished_at IS NOT NULL AND status IN ('succeeded', 'failed', 'cancelled')
           AND ((kind = $1 AND finished_at < $2) OR finished_at < $3
                OR (kind = ANY($5::text[]) AND status = 'succeeded' AND finished_at < $2))
         ORDER BY finished_at LIMIT $4
         FOR UPDATE SKIP LOCKED
       )
       DELETE FROM operations o USING doomed WHERE o.id = doomed.id`,
      [CANARY_KIND, canaryBefore, before, batchSize, options.routineKinds ?? []],
    );
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < batchSize) break;
  }
  return deleted;
}

/** Sweeps every `intervalMs` (default 10 min) where workers run; the first a minute after start. */
export function startOperationPruner(
  res: { db: Queryable; clock: Clock; logger: Logger; metrics: Metrics },
  options: PruneOptions & { intervalMs?: number },
): { stop(): Promise<void> } {
  const pruned = res.metrics.counter(
    'orchard_operations_pruned_total',
    'Finished operations deleted by the retention sweep (with their steps and events)',
  );
  const intervalMs = options.intervalMs ?? 10 * 60_000;
  return startTicker(
    async () => {
      const n = await pruneOperations(res.db, res.clock, options);
      if (n) {
        pruned.inc(n);
        res.logger.info({ deleted: n }, 'pruned finished operations past their retention');
      }
    },
    {
      intervalMs,
      // Not on the start-up path, yet soon enough that a process restarted often still sweeps.
      firstDelayMs: Math.min(60_000, options.intervalMs ?? 60_000),
      logger: res.logger,
      failure: 'pruning operations failed; retrying at the next sweep',
    },
  );
}
