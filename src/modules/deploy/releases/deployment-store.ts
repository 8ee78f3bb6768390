import type { Queryable } from '../../../platform/db/pool.ts';

export type DeploymentKind = 'deploy' | 'publish' | 'rollback';
export type DeploymentStatus = 'pending' | 'succeeded' | 'failed' | 'superseded';

export interface DeploymentRow {
  id: string;
  environment_id: string;
  release_id: string;
  previous_release_id: string | null;
  kind: DeploymentKind;
  generation: number;
  status: DeploymentStatus;
  error: string | null;
  actor_name: string;
  operation_id: string | null;
  traceparent: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export async function insertDeployment(
  db: Queryable,
  d: {
    environmentId: string;
    releaseId: string;
    previousReleaseId: string | null;
    kind: DeploymentKind;
    generation: number;
    actorName: string;
    operationId: string | null;
    /** The span that asked for it (W3C): the supervisor's launch becomes its child. */
    traceparent?: string;
    now: Date;
  },
): Promise<DeploymentRow> {
  const { rows } = await db.query<DeploymentRow>(
    `INSERT INTO deployments (environment_id, release_id, previous_release_id, kind, generation, status,
                              actor_name, operation_id, created_at, traceparent)
     VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9) RETURNING *`,
    [
      d.environmentId,
      d.releaseId,
      d.previousReleaseId,
      d.kind,
      d.generation,
      d.actorName,
      d.operationId,
      d.now,
      d.traceparent ?? null,
    ],
  );
  return rows[0]!;
}

/** The traceparent of the deployment a rollout of `generation` answers, if it was asked for in a trace. */
export async function deploymentTraceparent(
  db: Queryable,
  environmentId: string,
  generation: number,
): Promise<string | undefined> {
  return (await latestDeployment(db, environmentId, generation))?.traceparent ?? undefined;
}

export async function findDeployment(db: Queryable, id: string): Promise<DeploymentRow | undefined> {
  const { rows } = await db.query<DeploymentRow>('SELECT * FROM deployments WHERE id = $1', [id]);
  return rows[0];
}

/** The newest deployment asked for of the environment's `generation`. */
export async function latestDeployment(
  db: Queryable,
  environmentId: string,
  generation: number,
): Promise<DeploymentRow | undefined> {
  const { rows } = await db.query<DeploymentRow>(
    'SELECT * FROM deployments WHERE environment_id = $1 AND generation = $2 ORDER BY created_at DESC LIMIT 1',
    [environmentId, generation],
  );
  return rows[0];
}

/**
 * Settles the deployments a rollout of `generation` answered: that generation's gets the outcome,
 * older pending ones were superseded by it.
 */
export async function settleDeployments(
  db: Queryable,
  environmentId: string,
  generation: number,
  outcome: { status: 'succeeded' | 'failed'; error?: string; now: Date },
) {
  await db.query(
    `UPDATE deployments SET status = CASE WHEN generation = $2 THEN $3 ELSE 'superseded' END,
       error = CASE WHEN generation = $2 THEN $4 ELSE NULL END, finished_at = $5
     WHERE environment_id = $1 AND status = 'pending' AND generation <= $2`,
    [environmentId, generation, outcome.status, outcome.error ?? null, outcome.now],
  );
}

/**
 * The release to roll back to by default: the newest one this environment ran successfully before
 * that is not the current one and is still kept.
 */
/**
 * For each environment, the release a rollback would go back to (what `previousRelease` picks):
 * one query for a page of environments.
 */
export async function previousReleases(
  db: Queryable,
  envs: { id: string; current_release_id: string | null }[],
): Promise<Map<string, string>> {
  if (!envs.length) return new Map();
  const { rows } = await db.query<{ environment_id: string; release_id: string }>(
    `SELECT DISTINCT ON (d.environment_id) d.environment_id, d.release_id
       FROM deployments d
       JOIN releases r ON r.id = d.release_id
       JOIN unnest($1::uuid[], $2::uuid[]) AS e(id, current_id) ON e.id = d.environment_id
      WHERE d.status = 'succeeded' AND r.status = 'ready' AND d.release_id IS DISTINCT FROM e.current_id
      ORDER BY d.environment_id, d.created_at DESC`,
    [envs.map((e) => e.id), envs.map((e) => e.current_release_id)],
  );
  return new Map(rows.map((r) => [r.environment_id, r.release_id]));
}

export async function previousRelease(db: Queryable, environmentId: string, currentReleaseId: string | null) {
  const { rows } = await db.query<{ release_id: string }>(
    `SELECT d.release_id FROM deployments d JOIN releases r ON r.id = d.release_id
     WHERE d.environment_id = $1 AND d.status = 'succeeded' AND r.status = 'ready'
       AND d.release_id IS DISTINCT FROM $2
     ORDER BY d.created_at DESC LIMIT 1`,
    [environmentId, currentReleaseId],
  );
  return rows[0]?.release_id;
}
