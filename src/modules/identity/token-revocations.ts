import type { RequestContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/pool.ts';
import { notifyAccessChange } from '../../platform/events/index.ts';
import type { ActorCache } from './actor-cache.ts';
import { type AuditEntry, recordAudit } from './audit/record-audit.ts';

/** A token just revoked: whose it is. */
export interface RevokedToken {
  id: string;
  user_id: string;
}

/**
 * In the transaction that revoked `rows`: each one's audit row (target: the token) and the access
 * notice that makes every process drop it from its credential cache and open streams on commit.
 */
export async function recordRevocations<R extends RevokedToken>(
  tx: Queryable,
  ctx: RequestContext,
  rows: readonly R[],
  audit: (row: R) => Omit<AuditEntry, 'target'>,
): Promise<void> {
  for (const row of rows) {
    await recordAudit(tx, ctx, { ...audit(row), target: { type: 'token', id: row.id } });
    await notifyAccessChange(tx, { userId: row.user_id, tokenId: row.id });
  }
}

/** After the commit: this process's cache drops them at once (the others on the notice). */
export function dropRevoked(cache: ActorCache | undefined, rows: readonly RevokedToken[]): void {
  for (const row of rows) cache?.drop({ userId: row.user_id, tokenId: row.id });
}
