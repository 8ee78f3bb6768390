import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';

export interface LeaseReply {
  /** Steps whose lease was extended, and whether their operation wants them to stop. */
  renewed: Map<number, { cancel: boolean }>;
  expiresAt: Date;
}

/**
 * The heartbeat: extends the leases this worker still holds in one statement. The reply carries
 * cancellation; a step missing from it has lost its lease (reaped) and must stop.
 *
 * The rows are locked in id order first, as batch completion and the reaper lock them: a heartbeat
 * listing steps in claim order, while a completion of the same steps came in finishing order,
 * could otherwise each hold a row the other waits for (a deadlock, 40P01).
 */
export async function renewLeases(
  db: Queryable,
  options: { steps: Array<{ id: number; attempt: number }>; owner: string; leaseMs: number; clock: Clock },
): Promise<LeaseReply> {
  const expiresAt = new Date(options.clock.now().getTime() + options.leaseMs);
  const renewed = new Map<number, { cancel: boolean }>();
  if (options.steps.length === 0) return { renewed, expiresAt };
  const { rows } = await db.query<{ id: number; cancel: boolean }>({
    name: 'orchard_renew_leases',
    text: `WITH mine AS (
             SELECT s.id FROM steps s JOIN unnest($1::bigint[], $2::int[]) AS m(id, attempt) ON s.id = m.id
             WHERE s.attempt = m.attempt AND s.lease_owner = $3 AND s.status = 'running'
             ORDER BY s.id FOR UPDATE OF s
           )
           UPDATE steps s SET lease_expires_at = $4
           FROM mine, operations o
           WHERE s.id = mine.id AND o.id = s.operation_id
           RETURNING s.id, (o.cancel_requested OR o.status IN ('failed', 'cancelled')) AS cancel`,
    values: [options.steps.map((s) => s.id), options.steps.map((s) => s.attempt), options.owner, expiresAt],
  });
  for (const r of rows) renewed.set(r.id, { cancel: r.cancel });
  return { renewed, expiresAt };
}
