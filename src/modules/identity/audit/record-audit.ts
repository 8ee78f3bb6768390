import type { RequestContext } from '../../../platform/context.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { actorDisplayName, isSystemActor } from '../../../platform/http/actor.ts';
import { insertAudit } from './audit-store.ts';

export interface AuditEntry {
  /** Verb-first, dotted: `project.create`, `token.revoke`, `secret.put`. */
  action: string;
  target: { type: string; id?: string | null };
  projectId?: string | null;
  /** Non-secret details (never values of secrets, passwords or tokens). */
  data?: Record<string, unknown>;
}

/** Whom an agent acted for, kept in an audit row's `data.onBehalfOf`. */
export interface OnBehalfOf {
  userId: string;
  username: string;
  agentSessionId: string | null;
  tokenId: string | null;
}

/**
 * Writes one audit row; call it inside the mutation's transaction so both land or neither. What an
 * agent does with a delegated token is written as the agent on behalf of its person: actor
 * `agent-shop (for alice)`, and `data.onBehalfOf` naming alice, the session and the token.
 */
export async function recordAudit(db: Queryable, ctx: RequestContext, entry: AuditEntry) {
  const d = ctx.actor.delegation;
  const onBehalfOf: OnBehalfOf | undefined = d && {
    userId: d.byUserId,
    username: d.byUsername,
    agentSessionId: d.agentSessionId,
    tokenId: ctx.actor.tokenId ?? null,
  };
  await insertAudit(db, {
    actor_id: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
    actor_name: actorDisplayName(ctx.actor),
    action: entry.action,
    target_type: entry.target.type,
    target_id: entry.target.id ?? null,
    project_id: entry.projectId ?? null,
    request_id: ctx.requestId ?? null,
    ip: ctx.ip ?? null,
    data: onBehalfOf ? { ...entry.data, onBehalfOf } : (entry.data ?? {}),
  });
}
