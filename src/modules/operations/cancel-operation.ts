import { type Clock, systemClock } from '../../platform/clock.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { Db, DbClient } from '../../platform/db/pool.ts';
import { ConflictError } from '../../platform/errors.ts';
import { recordAudit } from '../identity/index.ts';
import { requireOperation } from './access.ts';
import { lockStreams, streamKey } from './engine/lock.ts';
import type { Registry } from './engine/registry.ts';
import { endOperation, type Settling } from './engine/settle.ts';
import { appendEvents } from './events/event-store.ts';
import { transact } from './events/notices.ts';
import { findOperation, type OperationRow } from './store.ts';
import { withProjectSlug } from './with-project-slugs.ts';

/**
 * Cancels a queued or running operation (developers of its project; admins for system operations):
 * pending steps are cancelled at once, running handlers see their signal abort. Cancelling a
 * cancelled operation is a no-op; a finished one is a conflict. The workflow's onEnd hook runs in
 * the same transaction; `within` runs the caller's own writes there too, after the operation's,
 * so all of it lands or none.
 */
export async function cancelOperation(
  db: Db,
  registry: Registry,
  ctx: RequestContext,
  id: string,
  options: { clock?: Clock; within?: (tx: DbClient) => Promise<void> } = {},
): Promise<OperationRow> {
  const op = await requireOperation(db, ctx.actor, id, 'developer');
  const ref = { operationId: op.id, projectId: op.project_id };
  return transact(db, async (tx, notices) => {
    await lockStreams(tx, [streamKey(ref)]);
    const now = (options.clock ?? systemClock).now();
    const s: Settling = { tx, now, ...ref, events: [], notices, registry };
    const ended = await endOperation(s, 'cancelled', {
      message: `Cancelled by ${ctx.actor.username}.`,
      name: 'Cancelled',
      retryable: true,
    });
    const current = (await findOperation(tx, id))!;
    if (!ended) {
      if (current.status === 'cancelled') {
        await options.within?.(tx);
        return withProjectSlug(tx, current);
      }
      throw new ConflictError(
        `Operation ${id} already ${current.status}; only queued or running operations can be cancelled.`,
      );
    }
    await appendEvents(tx, s.events, now, notices);
    await recordAudit(tx, ctx, {
      action: 'operation.cancel',
      target: { type: 'operation', id },
      projectId: op.project_id,
      data: { kind: op.kind },
    });
    await options.within?.(tx);
    return withProjectSlug(tx, current);
  });
}
