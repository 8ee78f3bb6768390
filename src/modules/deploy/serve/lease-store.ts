import type { Queryable } from '../../../platform/db/pool.ts';

/**
 * Supervision leases: one `app_processes` row per environment. Only the holder of an unexpired
 * lease runs the environment's app; it renews the lease by heartbeat, and another Orchard process
 * may take over once it has expired (the previous holder crashed or lost the database).
 */
export async function claimSupervision(
  db: Queryable,
  environmentId: string,
  owner: string,
  host: string,
  now: Date,
  leaseMs: number,
  /** The owner's app relay (host:port), when it has one. */
  relay: string | null = null,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO app_processes (environment_id, owner, lease_expires_at, host, updated_at, relay)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (environment_id) DO UPDATE SET owner = EXCLUDED.owner, lease_expires_at = EXCLUDED.lease_expires_at,
       host = EXCLUDED.host, updated_at = EXCLUDED.updated_at, relay = EXCLUDED.relay
     WHERE app_processes.owner IS NULL OR app_processes.owner = EXCLUDED.owner
        OR app_processes.lease_expires_at < EXCLUDED.updated_at`,
    [environmentId, owner, new Date(now.getTime() + leaseMs), host, now, relay],
  );
  return (rowCount ?? 0) > 0;
}

/** Renews the leases held on `ids`; returns the ids still held (the others were lost). */
export async function renewSupervision(
  db: Queryable,
  ids: string[],
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const { rows } = await db.query<{ environment_id: string }>(
    `UPDATE app_processes SET lease_expires_at = $3, updated_at = $4
     WHERE environment_id = ANY($1::uuid[]) AND owner = $2 RETURNING environment_id`,
    [ids, owner, new Date(now.getTime() + leaseMs), now],
  );
  return new Set(rows.map((r) => r.environment_id));
}

/** Gives a lease up at once (graceful stop), so another process need not wait for it to expire. */
export async function releaseSupervision(db: Queryable, ids: string[], owner: string) {
  if (!ids.length) return;
  await db.query(
    `UPDATE app_processes SET owner = NULL, lease_expires_at = NULL, port = NULL
     WHERE environment_id = ANY($1::uuid[]) AND owner = $2`,
    [ids, owner],
  );
}

export async function recordProcess(
  db: Queryable,
  environmentId: string,
  owner: string,
  p: { releaseId: string | null; port: number | null; startedAt: Date | null; restarts?: number; now: Date },
) {
  await db.query(
    `UPDATE app_processes SET release_id = $3, port = $4, started_at = $5,
       restarts = COALESCE($6, restarts), updated_at = $7
     WHERE environment_id = $1 AND owner = $2`,
    [environmentId, owner, p.releaseId, p.port, p.startedAt, p.restarts ?? null, p.now],
  );
}

/** Environments this owner may supervise now: its own, unowned ones, and those whose lease expired. */
export async function supervisableEnvironments(db: Queryable, owner: string, now: Date): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT e.id FROM environments e LEFT JOIN app_processes p ON p.environment_id = e.id
     WHERE p.environment_id IS NULL OR p.owner IS NULL OR p.owner = $1 OR p.lease_expires_at < $2
     ORDER BY e.created_at`,
    [owner, now],
  );
  return rows.map((r) => r.id);
}

/** How the proxy reaches a label's app when another process supervises it. */
export interface AppRoute {
  id: string;
  status: string;
  port: number | null;
  /** Its supervisor's lease lapsed (it stopped or died) and nobody took over yet. */
  lapsed: boolean;
  /** The supervising process's app relay (host:port), null when it has none or no lease. */
  relay: string | null;
}

/** The environment named by a host label, with the relay of the process holding its lease now. */
export async function findAppRoute(db: Queryable, label: string, now: Date): Promise<AppRoute | undefined> {
  const { rows } = await db.query<AppRoute>(
    `SELECT e.id, e.status, e.port,
       p.environment_id IS NOT NULL AND (p.owner IS NULL OR p.lease_expires_at < $2) AS lapsed,
       CASE WHEN p.owner IS NOT NULL AND p.lease_expires_at >= $2 THEN p.relay END AS relay
     FROM environments e LEFT JOIN app_processes p ON p.environment_id = e.id
     WHERE e.host_label = $1`,
    [label, now],
  );
  return rows[0];
}
