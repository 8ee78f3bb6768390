import { z } from 'zod';
import type { Db } from '../../../platform/db/pool.ts';
import { CursorShape, decodeCursor, fetchPage, type Page } from '../../../platform/http/cursor.ts';
import type { AuditFilterQuery, AuditQuery } from '../schemas.ts';
import { type AuditFilter, type AuditRow, queryAudit, searchPatterns } from './audit-store.ts';
import type { OnBehalfOf } from './record-audit.ts';

export interface AuditEvent {
  id: number;
  /** `onBehalfOf`: the person an agent acted for with a delegated token (null for everyone else). */
  actor: { id: string | null; name: string | null; onBehalfOf: OnBehalfOf | null };
  action: string;
  target: { type: string; id: string | null };
  projectId: string | null;
  requestId: string | null;
  ip: string | null;
  data: Record<string, unknown>;
  at: string;
}

const OnBehalfOfShape = z.object({
  userId: z.string(),
  username: z.string(),
  agentSessionId: z.string().nullable(),
  tokenId: z.string().nullable(),
});

function onBehalfOf(data: Record<string, unknown>): OnBehalfOf | null {
  const parsed = OnBehalfOfShape.safeParse(data.onBehalfOf);
  return parsed.success ? parsed.data : null;
}

export function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    actor: { id: row.actor_id, name: row.actor_name, onBehalfOf: onBehalfOf(row.data) },
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    projectId: row.project_id,
    requestId: row.request_id,
    ip: row.ip,
    data: row.data,
    at: row.created_at.toISOString(),
  };
}

/** The store's filter for what a query asks (the list and the CSV export share it). */
export function auditFilter(query: AuditFilterQuery): Omit<AuditFilter, 'limit'> {
  return {
    actor: query.actor,
    action: query.action,
    targetType: query.targetType,
    projectId: query.projectId,
    since: query.since ? new Date(query.since) : undefined,
    until: query.until ? new Date(query.until) : undefined,
    words: searchPatterns(query.q),
  };
}

/**
 * Newest first, filtered; admins only (checked by the route). `actor` matches the actor's name, an
 * agent's name without its "(for …)", and the person agents acted for; `q` finds words in the
 * action, actor, target, IP and details.
 */
export async function listAudit(db: Db, query: AuditQuery): Promise<Page<AuditEvent>> {
  const cursor = decodeCursor(query.cursor, CursorShape.serial);
  return fetchPage(
    query.limit,
    (limit) => queryAudit(db, { ...auditFilter(query), beforeId: cursor?.[0], limit }),
    (r) => [r.id],
    toAuditEvent,
  );
}
