import type { RequestContext } from '../../../platform/context.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import { insertAudit } from './audit-store.ts';

export interface AuditEntry {
  /** Verb-first, dotted: `project.create`, `token.revoke`, `secret.put`. */
  action: string;
  target: { type: string; id?: string | null };
  projectId?: string | null;
  /** Non-secret details (never values of secrets, passwords or tokens). */
  data?: Record<string, unknown>;
}

/** Writes one audit row; call it inside the mutation's transaction so both land or neither. */
export async function recordAudit(db: Queryable, ctx: RequestContext, entry: AuditEntry) {
  await insertAudit(db, {
    actor_id: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
    actor_name: ctx.actor.username,
    action: entry.action,
    target_type: entry.target.type,
    target_id: entry.target.id ?? null,
    project_id: entry.projectId ?? null,
    request_id: ctx.requestId ?? null,
    ip: ctx.ip ?? null,
    data: entry.data ?? {},
  });
}
