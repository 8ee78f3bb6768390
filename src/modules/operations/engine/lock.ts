import type { Queryable } from '../../../platform/db/pool.ts';

/** The advisory-lock namespace of event streams (first key of the two-int form). */
export const STREAM_LOCK = 7300;

/**
 * The stream an operation's events belong to: its project, or the operation itself. Every
 * transaction that changes step state or appends events takes this lock first (as its first
 * statement, so no lock-order cycles with row locks), which
 * - makes event ids commit-ordered within a stream, so "events after id N" never misses one, and
 * - serialises the "is everything done?" checks of one operation, so two steps finishing together
 *   cannot both conclude the other is still running.
 */
export function streamKey(operation: { operationId: string; projectId: string | null }): string {
  return operation.projectId ?? operation.operationId;
}

export async function lockStreams(tx: Queryable, keys: Iterable<string>) {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return;
  if (unique.length === 1) {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [STREAM_LOCK, unique[0]]);
    return;
  }
  // A fixed order across transactions that lock several streams (batch claims).
  await tx.query(
    `SELECT pg_advisory_xact_lock($1, h)
     FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($2::text[]) AS k ORDER BY h) AS ordered`,
    [STREAM_LOCK, unique],
  );
}

/**
 * Takes, for the rest of the transaction, the lock the operations of a project settle under (their
 * event stream), where workflow hooks (onEnd, onRetry) run. A transaction that locks rows such a
 * hook writes and then starts an operation of that project takes this first, so both take the
 * locks in one order.
 */
export function lockProjectOperations(tx: Queryable, projectId: string) {
  return lockStreams(tx, [projectId]);
}
