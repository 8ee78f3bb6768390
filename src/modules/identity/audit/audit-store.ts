import type { Queryable } from '../../../platform/db/pool.ts';

export interface AuditRow {
  id: number;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  project_id: string | null;
  request_id: string | null;
  ip: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  targetType?: string;
  projectId?: string;
  since?: Date;
  until?: Date;
  /** LIKE patterns (wildcards escaped): each must be found in the row's text (see `searchPatterns`). */
  words?: string[];
  beforeId?: number;
  limit: number;
}

/**
 * The words of a free-text search as ILIKE patterns: at most 8 words, `%` `_` and `\` taken
 * literally. The words are bound as parameters, never spliced into the SQL.
 */
export function searchPatterns(q: string | undefined): string[] {
  const words = (q ?? '').split(/\s+/).filter(Boolean).slice(0, 8);
  return words.map((w) => `%${w.replace(/[\\%_]/g, '\\$&')}%`);
}

export async function insertAudit(db: Queryable, row: Omit<AuditRow, 'id' | 'created_at'>) {
  await db.query(
    `INSERT INTO audit_log (actor_id, actor_name, action, target_type, target_id, project_id, request_id, ip, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      row.actor_id,
      row.actor_name,
      row.action,
      row.target_type,
      row.target_id,
      row.project_id,
      row.request_id,
      row.ip,
      JSON.stringify(row.data),
    ],
  );
}

export async function queryAudit(db: Queryable, f: AuditFilter): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>(
    `SELECT * FROM audit_log
     WHERE ($1::text IS NULL OR actor_name = $1 OR split_part(actor_name, ' (for ', 1) = $1
            OR data->'onBehalfOf'->>'username' = $1)
       AND ($2::text IS NULL OR action = $2 OR action LIKE $2 || '.%')
       AND ($3::text IS NULL OR target_type = $3)
       AND ($4::uuid IS NULL OR project_id = $4)
       AND ($5::timestamptz IS NULL OR created_at >= $5)
       AND ($6::timestamptz IS NULL OR created_at < $6)
       AND ($7::bigint IS NULL OR id < $7)
       AND NOT EXISTS (
         SELECT 1 FROM unnest($9::text[]) AS w(pattern)
         WHERE concat_ws(' ', action, actor_name, target_type, target_id, ip, data::text)
               NOT ILIKE w.pattern ESCAPE '\\')
     ORDER BY id DESC LIMIT $8`,
    [
      f.actor ?? null,
      f.action ?? null,
      f.targetType ?? null,
      f.projectId ?? null,
      f.since ?? null,
      f.until ?? null,
      f.beforeId ?? null,
      f.limit,
      f.words ?? [],
    ],
  );
  return rows;
}
