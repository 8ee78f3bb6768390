import type { Queryable } from '../../../platform/db/pool.ts';
import type { FeatureRow } from '../feature-store.ts';
import type { Classification } from '../sdlc/sdlc-kinds.ts';

/** The most features a board shows: a project's newest. */
export const BOARD_LIMIT = 500;

/** A project's features, newest first (at most BOARD_LIMIT). */
export async function listProjectFeatureRows(db: Queryable, projectId: string): Promise<FeatureRow[]> {
  const { rows } = await db.query<FeatureRow>(
    'SELECT * FROM features WHERE project_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2',
    [projectId, BOARD_LIMIT],
  );
  return rows;
}

export interface DependencyRow {
  feature_id: string;
  depends_on_id: string;
}

/** Every "waits for" edge between a project's features. */
export async function listDependencyRows(db: Queryable, projectId: string): Promise<DependencyRow[]> {
  const { rows } = await db.query<DependencyRow>(
    `SELECT d.feature_id, d.depends_on_id FROM feature_dependencies d
       JOIN features f ON f.id = d.feature_id WHERE f.project_id = $1 ORDER BY d.feature_id, d.depends_on_id`,
    [projectId],
  );
  return rows;
}

/** Serialises dependency edits of a project, so two edits cannot close a cycle between them. */
export async function lockProjectDependencies(tx: Queryable, projectId: string) {
  await tx.query(`SELECT pg_advisory_xact_lock(7301, hashtext($1))`, [projectId]);
}

export async function replaceDependencies(tx: Queryable, featureId: string, dependsOn: readonly string[]) {
  await tx.query('DELETE FROM feature_dependencies WHERE feature_id = $1', [featureId]);
  if (dependsOn.length)
    await tx.query(
      `INSERT INTO feature_dependencies (feature_id, depends_on_id) SELECT $1, unnest($2::uuid[])`,
      [featureId, dependsOn],
    );
}

/** Of `ids`, those that are features of the project. */
export async function existingFeatureIds(tx: Queryable, projectId: string, ids: readonly string[]) {
  const { rows } = await tx.query<{ id: string }>(
    'SELECT id FROM features WHERE project_id = $1 AND id = ANY($2::uuid[])',
    [projectId, ids],
  );
  return new Set(rows.map((r) => r.id));
}

export async function setFeatureAssignee(
  db: Queryable,
  featureId: string,
  assignee: { userId: string | null; agent: string | null },
): Promise<FeatureRow> {
  const { rows } = await db.query<FeatureRow>(
    `UPDATE features SET assignee_id = $2, assignee_agent = $3, updated_at = now() WHERE id = $1 RETURNING *`,
    [featureId, assignee.userId, assignee.agent],
  );
  return rows[0]!;
}

/** The feature's kind, its path and how it was classified, together. */
export async function setFeatureClassification(
  db: Queryable,
  featureId: string,
  classification: Classification,
): Promise<FeatureRow> {
  const { rows } = await db.query<FeatureRow>(
    `UPDATE features SET kind = $2, phases = $3, classification = $4, updated_at = now() WHERE id = $1 RETURNING *`,
    [featureId, classification.kind, classification.phases, JSON.stringify(classification)],
  );
  return rows[0]!;
}

/** Features by id (those of other boards' pages, e.g. the dependencies of one card). */
export async function findFeatureRows(db: Queryable, ids: readonly string[]): Promise<FeatureRow[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<FeatureRow>('SELECT * FROM features WHERE id = ANY($1::uuid[])', [ids]);
  return rows;
}
