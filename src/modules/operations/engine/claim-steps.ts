import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { Notices, publish } from '../events/notices.ts';

/** A step this worker holds the lease of. `attempt` and `leaseOwner` fence every later write. */
export interface ClaimedStep {
  id: number;
  operationId: string;
  projectId: string | null;
  key: string;
  handler: string;
  queue: string;
  attempt: number;
  maxAttempts: number;
  input: unknown;
  dependsOn: string[];
  parentKey: string | null;
  timeoutMs: number | null;
  traceId: string;
  /** The span that started the operation (W3C traceparent): each step's span is its child. */
  traceparent: string | null;
  kind: string;
  leaseOwner: string;
  leaseExpiresAt: Date;
  /** The operation was cancelled or has already failed: the step must not run. */
  cancelled: boolean;
}

interface ClaimRow {
  id: number;
  operation_id: string;
  project_id: string | null;
  key: string;
  handler: string;
  queue: string;
  attempt: number;
  max_attempts: number;
  input: unknown;
  depends_on: string[];
  parent_key: string | null;
  timeout_ms: number | null;
  trace_id: string;
  kind: string;
  cancelled: boolean;
  event_id: number;
  traceparent: string | null;
}

/**
 * Claims up to `limit` ready steps of `queues` (tried in the given order), skipping those another
 * claimer is taking, leases them to `owner`, marks their operations running and writes the
 * `running` events — one statement (orchard_claim_steps, migrations 0009 and 0014) per batch. Rows come back
 * in the order they were picked.
 */
export async function claimSteps(
  db: Queryable,
  options: { queues: string[]; limit: number; owner: string; leaseMs: number; clock: Clock },
): Promise<ClaimedStep[]> {
  if (options.limit <= 0 || options.queues.length === 0) return [];
  const now = options.clock.now();
  const leaseExpiresAt = new Date(now.getTime() + options.leaseMs);
  // Named: prepared once per connection, not parsed and planned per claim.
  const { rows } = await db.query<ClaimRow>({
    name: 'orchard_claim_steps',
    text: 'SELECT * FROM orchard_claim_steps($1, $2, $3, $4, $5)',
    values: [options.queues, options.limit, options.owner, now, leaseExpiresAt],
  });
  if (rows.length === 0) return [];
  const notices = new Notices();
  for (const r of rows) notices.event(r.operation_id, r.project_id, r.event_id);
  publish(db, notices);
  return rows.map((r) => ({
    id: r.id,
    operationId: r.operation_id,
    projectId: r.project_id,
    key: r.key,
    handler: r.handler,
    queue: r.queue,
    attempt: r.attempt,
    maxAttempts: r.max_attempts,
    input: r.input,
    dependsOn: r.depends_on,
    parentKey: r.parent_key,
    timeoutMs: r.timeout_ms,
    traceId: r.trace_id,
    traceparent: r.traceparent,
    kind: r.kind,
    leaseOwner: options.owner,
    leaseExpiresAt,
    cancelled: r.cancelled,
  }));
}
