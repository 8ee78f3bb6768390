import type { Queryable } from '../../../platform/db/pool.ts';
import type { ErrorStatus } from './schemas.ts';

export interface ErrorGroupRow {
  id: string;
  environment_id: string | null;
  project_id: string | null;
  scope: string;
  fingerprint: string;
  type: string;
  message: string;
  count: number;
  first_seen: Date;
  last_seen: Date;
  last_stack: string | null;
  first_release_id: string | null;
  first_release: string | null;
  last_release_id: string | null;
  last_release: string | null;
  status: ErrorStatus;
  status_changed_at: Date | null;
  regressed_at: Date | null;
  regressions: number;
}

export interface ErrorOccurrenceRow {
  id: number;
  group_id: string;
  time: Date;
  message: string;
  stack: string | null;
  attributes: Record<string, unknown>;
  trace_id: string | null;
  span_id: string | null;
  release_id: string | null;
  release: string | null;
}

/** `instance` or the environment's id: the scope column's value. */
export const scopeKey = (environmentId: string | null) => environmentId ?? 'instance';

/** Locks a group (when it exists) for the rest of the transaction and returns what it was. */
export async function lockGroup(db: Queryable, scope: string, fingerprint: string) {
  const { rows } = await db.query<Pick<ErrorGroupRow, 'id' | 'status'>>(
    'SELECT id, status FROM error_groups WHERE scope = $1 AND fingerprint = $2 FOR UPDATE',
    [scope, fingerprint],
  );
  return rows[0];
}

export interface GroupUpsert {
  environmentId: string | null;
  projectId: string | null;
  fingerprint: string;
  type: string;
  message: string;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  lastStack: string | null;
  releaseId: string | null;
  release: string | null;
}

/**
 * One statement merges a batch of occurrences into its group, so parallel reports of a new error
 * still make one group. The latest occurrence's message, stack and release win; a resolved group
 * seen again after it was resolved opens again (a regression).
 */
export async function upsertGroup(db: Queryable, g: GroupUpsert) {
  const { rows } = await db.query<ErrorGroupRow & { inserted: boolean }>(
    `INSERT INTO error_groups AS g (environment_id, project_id, fingerprint, type, message, count,
       first_seen, last_seen, last_stack, first_release_id, first_release, last_release_id, last_release)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10, $11)
     ON CONFLICT (scope, fingerprint) DO UPDATE SET
       count = g.count + EXCLUDED.count,
       first_seen = LEAST(g.first_seen, EXCLUDED.first_seen),
       message = CASE WHEN EXCLUDED.last_seen >= g.last_seen THEN EXCLUDED.message ELSE g.message END,
       last_stack = CASE WHEN EXCLUDED.last_seen >= g.last_seen
         THEN COALESCE(EXCLUDED.last_stack, g.last_stack) ELSE g.last_stack END,
       last_release_id = CASE WHEN EXCLUDED.last_seen >= g.last_seen
         THEN EXCLUDED.last_release_id ELSE g.last_release_id END,
       last_release = CASE WHEN EXCLUDED.last_seen >= g.last_seen
         THEN EXCLUDED.last_release ELSE g.last_release END,
       last_seen = GREATEST(g.last_seen, EXCLUDED.last_seen),
       status = CASE WHEN ${REOPENS} THEN 'open' ELSE g.status END,
       status_changed_at = CASE WHEN ${REOPENS} THEN EXCLUDED.last_seen ELSE g.status_changed_at END,
       regressed_at = CASE WHEN ${REOPENS} THEN EXCLUDED.last_seen ELSE g.regressed_at END,
       regressions = g.regressions + CASE WHEN ${REOPENS} THEN 1 ELSE 0 END
     RETURNING g.*, (xmax = 0) AS inserted`,
    [
      g.environmentId,
      g.projectId,
      g.fingerprint,
      g.type,
      g.message,
      g.count,
      g.firstSeen,
      g.lastSeen,
      g.lastStack,
      g.releaseId,
      g.release,
    ],
  );
  return rows[0]!;
}

// Occurrences from before the resolution (late telemetry) do not reopen it.
const REOPENS = `(g.status = 'resolved' AND EXCLUDED.last_seen > COALESCE(g.status_changed_at, '-infinity'))`;

export interface OccurrenceInsert {
  time: Date;
  message: string;
  stack: string | null;
  attributes: Record<string, unknown>;
  traceId: string | null;
  spanId: string | null;
  releaseId: string | null;
  release: string | null;
}

/** Adds occurrences, then keeps only the newest `keep` of the group. */
export async function addOccurrences(
  db: Queryable,
  groupId: string,
  items: OccurrenceInsert[],
  keep: number,
) {
  if (!items.length) return;
  await db.query(
    `INSERT INTO error_occurrences (group_id, time, message, stack, attributes, trace_id, span_id, release_id, release)
     SELECT $1, o.time, o.message, o.stack, o.attributes, o.trace_id, o.span_id, o.release_id, o.release
       FROM jsonb_to_recordset($2::jsonb) AS o(time timestamptz, message text, stack text, attributes jsonb,
         trace_id text, span_id text, release_id uuid, release text)
      ORDER BY o.time`,
    [
      groupId,
      JSON.stringify(
        items.map((i) => ({
          time: i.time.toISOString(),
          message: i.message,
          stack: i.stack,
          attributes: i.attributes,
          trace_id: i.traceId,
          span_id: i.spanId,
          release_id: i.releaseId,
          release: i.release,
        })),
      ),
    ],
  );
  await db.query(
    `DELETE FROM error_occurrences WHERE group_id = $1 AND id <= (
       SELECT id FROM error_occurrences WHERE group_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)`,
    [groupId, keep],
  );
}

/** A scope's groups by last seen, newest first (keyset on last_seen, id). */
export async function listGroupRows(
  db: Queryable,
  scope: string,
  options: { status?: ErrorStatus; after?: [string, string]; limit: number },
) {
  const { rows } = await db.query<ErrorGroupRow>(
    `SELECT * FROM error_groups
      WHERE scope = $1 AND ($2::text IS NULL OR status = $2)
        AND ($3::timestamptz IS NULL OR (last_seen, id) < ($3, $4::uuid))
      ORDER BY last_seen DESC, id DESC LIMIT $5`,
    [scope, options.status ?? null, options.after?.[0] ?? null, options.after?.[1] ?? null, options.limit],
  );
  return rows;
}

export async function findGroupRow(db: Queryable, id: string) {
  const { rows } = await db.query<ErrorGroupRow>('SELECT * FROM error_groups WHERE id = $1', [id]);
  return rows[0];
}

export async function listOccurrenceRows(db: Queryable, groupId: string, limit: number) {
  const { rows } = await db.query<ErrorOccurrenceRow>(
    'SELECT * FROM error_occurrences WHERE group_id = $1 ORDER BY id DESC LIMIT $2',
    [groupId, limit],
  );
  return rows;
}

export async function setGroupStatus(db: Queryable, id: string, status: ErrorStatus, now: Date) {
  const { rows } = await db.query<ErrorGroupRow>(
    'UPDATE error_groups SET status = $2, status_changed_at = $3 WHERE id = $1 RETURNING *',
    [id, status, now],
  );
  return rows[0];
}
