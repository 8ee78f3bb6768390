import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/pool.ts';

export interface LeaseReply {
  /** Steps whose lease was extended, and whether their operation wants them to stop. */
  renewed: Map<number, { cancel: boolean }>;
  expiresAt: Date;
}

/**
 * The heartbeat: extends the leases this worker still holds in one statement. The reply carries
 * cancellation; a step missing from it has lost its lease (reaped) and must stop.
 */
export async function renewLeases(
  db: Queryable,
  options: { steps: Array<{ id: number; attempt: number }>; owner: string; leaseMs: number; clock: Clock },
): Promise<LeaseReply> {
  const expiresAt = new Date(options.clock.now().getTime() + options.leaseMs);
  const renewed = new Map<number, { cancel: boolean }>();
  if (options.steps.length === 0) return { renewed, expiresAt };
  const { rows } = await db.query<{ id: number; cancel: boolean }>(
    `UPDATE steps s SET lease_expires_at = $4
     FROM operations o, unnest($1::bigint[], $2::int[]) AS mine(id, attempt)
     WHERE s.id = mine.id AND s.attempt = mine.attempt AND s.lease_owner = $3 AND s.status = 'running'
       AND o.id = s.operation_id
     RETURNING s.id, (o.cancel_requested OR o.status IN ('failed', 'cancelled')) AS cancel`,
    [options.steps.map((s) => s.id), options.steps.map((s) => s.attempt), options.owner, expiresAt],
  );
  for (const r of rows) renewed.set(r.id, { cancel: r.cancel });
  return { renewed, expiresAt };
}
