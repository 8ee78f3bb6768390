import type { Queryable } from '../../../platform/db/pool.ts';
import type { AlertKind, AlertState } from './alert-schemas.ts';

export interface AlertRuleRow {
  id: string;
  project_id: string;
  environment_id: string;
  environment_name: string;
  name: string;
  kind: AlertKind;
  /** The kind's own fields (pattern, metric…), as the schema validated them. */
  condition: Record<string, unknown>;
  threshold: number;
  window_seconds: number;
  for_evaluations: number;
  enabled: boolean;
  state: AlertState;
  breaches: number;
  last_value: number | null;
  last_evaluated_at: Date | null;
  last_error: string | null;
  state_since: Date;
  silenced_until: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface AlertEventRow {
  id: number;
  rule_id: string;
  project_id: string;
  from_state: AlertState;
  to_state: AlertState;
  value: number | null;
  silenced: boolean;
  at: Date;
}

/** The stored shape of a rule's definition. */
export interface AlertRuleFields {
  name: string;
  kind: AlertKind;
  condition: Record<string, unknown>;
  threshold: number;
  windowSeconds: number;
  forEvaluations: number;
  enabled: boolean;
}

export async function insertAlertRule(
  db: Queryable,
  r: AlertRuleFields & {
    projectId: string;
    environmentId: string;
    environmentName: string;
    createdBy: string | null;
    now: Date;
  },
): Promise<AlertRuleRow> {
  const { rows } = await db.query<AlertRuleRow>(
    `INSERT INTO alert_rules (project_id, environment_id, environment_name, name, kind, condition, threshold,
       window_seconds, for_evaluations, enabled, state_since, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $11) RETURNING *`,
    [
      r.projectId,
      r.environmentId,
      r.environmentName,
      r.name,
      r.kind,
      JSON.stringify(r.condition),
      r.threshold,
      r.windowSeconds,
      r.forEvaluations,
      r.enabled,
      r.now,
      r.createdBy,
    ],
  );
  return rows[0]!;
}

/** Replaces a rule's definition; its state and history stay (the next evaluation judges the new one). */
export async function updateAlertRuleRow(
  db: Queryable,
  projectId: string,
  id: string,
  r: AlertRuleFields & { now: Date },
): Promise<AlertRuleRow | undefined> {
  const { rows } = await db.query<AlertRuleRow>(
    `UPDATE alert_rules SET name = $3, kind = $4, condition = $5, threshold = $6, window_seconds = $7,
       for_evaluations = $8, enabled = $9, breaches = 0, updated_at = $10
     WHERE project_id = $1 AND id = $2 RETURNING *`,
    [
      projectId,
      id,
      r.name,
      r.kind,
      JSON.stringify(r.condition),
      r.threshold,
      r.windowSeconds,
      r.forEvaluations,
      r.enabled,
      r.now,
    ],
  );
  return rows[0];
}

export async function deleteAlertRuleRow(db: Queryable, projectId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM alert_rules WHERE project_id = $1 AND id = $2', [
    projectId,
    id,
  ]);
  return (rowCount ?? 0) > 0;
}

export async function setAlertSilence(
  db: Queryable,
  projectId: string,
  id: string,
  until: Date | null,
  now: Date,
): Promise<AlertRuleRow | undefined> {
  const { rows } = await db.query<AlertRuleRow>(
    'UPDATE alert_rules SET silenced_until = $3, updated_at = $4 WHERE project_id = $1 AND id = $2 RETURNING *',
    [projectId, id, until, now],
  );
  return rows[0];
}

export async function findAlertRule(db: Queryable, projectId: string, id: string) {
  const { rows } = await db.query<AlertRuleRow>(
    'SELECT * FROM alert_rules WHERE project_id = $1 AND id = $2',
    [projectId, id],
  );
  return rows[0];
}

export async function listAlertRuleRows(db: Queryable, environmentId: string): Promise<AlertRuleRow[]> {
  const { rows } = await db.query<AlertRuleRow>(
    'SELECT * FROM alert_rules WHERE environment_id = $1 ORDER BY name, id',
    [environmentId],
  );
  return rows;
}

/** A rule's history, newest first, after the `before` id (keyset). */
export async function listAlertEventRows(
  db: Queryable,
  ruleId: string,
  before: number | undefined,
  limit: number,
): Promise<AlertEventRow[]> {
  const { rows } = await db.query<AlertEventRow>(
    `SELECT * FROM alert_events WHERE rule_id = $1 AND ($2::bigint IS NULL OR id < $2)
     ORDER BY id DESC LIMIT $3`,
    [ruleId, before ?? null, limit],
  );
  return rows;
}

/** A rule is due when it is enabled and was last evaluated before `$1` (or never). */
const DUE = 'enabled AND (last_evaluated_at IS NULL OR last_evaluated_at <= $1)';

/** When rules last evaluated before this are due: a tenth of slack, so a tick that comes a little early still finds the rules it evaluated last time. */
export function dueBefore(now: Date, intervalMs: number): Date {
  return new Date(now.getTime() - intervalMs * 0.9);
}

/**
 * Locks one enabled rule not evaluated since `dueBefore`, skipping rules another evaluator holds:
 * with the caller's transaction it is this evaluator's alone until it commits.
 */
export async function claimDueAlertRule(db: Queryable, dueBefore: Date): Promise<AlertRuleRow | undefined> {
  const { rows } = await db.query<AlertRuleRow>(
    `SELECT * FROM alert_rules
     WHERE ${DUE}
     ORDER BY last_evaluated_at NULLS FIRST, id
     LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [dueBefore],
  );
  return rows[0];
}

/** Whether some rule is due (the schedule's check before it starts an evaluation). */
export async function anyAlertRuleDue(db: Queryable, dueBefore: Date): Promise<boolean> {
  const { rows } = await db.query<{ due: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM alert_rules WHERE ${DUE}) AS due`,
    [dueBefore],
  );
  return rows[0]!.due;
}

/** Records an evaluation's outcome on the (claimed) rule. */
export async function recordAlertEvaluation(
  db: Queryable,
  id: string,
  e: {
    state: AlertState;
    stateSince: Date;
    breaches: number;
    value: number | null;
    error: string | null;
    at: Date;
  },
): Promise<AlertRuleRow> {
  const { rows } = await db.query<AlertRuleRow>(
    `UPDATE alert_rules SET state = $2, state_since = $3, breaches = $4, last_value = $5, last_error = $6,
       last_evaluated_at = $7 WHERE id = $1 RETURNING *`,
    [id, e.state, e.stateSince, e.breaches, e.value, e.error, e.at],
  );
  return rows[0]!;
}

export async function insertAlertEvent(
  db: Queryable,
  e: {
    ruleId: string;
    projectId: string;
    from: AlertState;
    to: AlertState;
    value: number | null;
    silenced: boolean;
    at: Date;
  },
) {
  await db.query(
    `INSERT INTO alert_events (rule_id, project_id, from_state, to_state, value, silenced, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.ruleId, e.projectId, e.from, e.to, e.value, e.silenced, e.at],
  );
}
