import type { Db } from '../../../platform/db/pool.ts';
import { CursorShape, decodeCursor, fetchPage, type Page } from '../../../platform/http/cursor.ts';
import type { AuditQuery } from '../schemas.ts';
import { type AuditRow, queryAudit } from './audit-store.ts';

export interface AuditEvent {
  id: number;
  actor: { id: string | null; name: string | null };
  action: string;
  target: { type: string; id: string | null };
  projectId: string | null;
  requestId: string | null;
  ip: string | null;
  data: Record<string, unknown>;
  at: string;
}

export function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    actor: { id: row.actor_id, name: row.actor_name },
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    projectId: row.project_id,
    requestId: row.request_id,
    ip: row.ip,
    data: row.data,
    at: row.created_at.toISOString(),
  };
}

/** Newest first, filtered; admins only (checked by the route). */
export async function listAudit(db: Db, query: AuditQuery): Promise<Page<AuditEvent>> {
  const cursor = decodeCursor(query.cursor, CursorShape.serial);
  return fetchPage(
    query.limit,
    (limit) =>
      queryAudit(db, {
        actor: query.actor,
        action: query.action,
        targetType: query.targetType,
        projectId: query.projectId,
        since: query.since ? new Date(query.since) : undefined,
        until: query.until ? new Date(query.until) : undefined,
        beforeId: cursor?.[0],
        limit,
      }),
    (r) => [r.id],
    toAuditEvent,
  );
}
