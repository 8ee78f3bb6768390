import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireMailbox } from './mailbox-access.ts';
import { deleteMail } from './mailbox-store.ts';

/** Empties the project's mailbox, or one environment's part of it (developers). */
export async function clearMailbox(db: Db, ctx: RequestContext, slug: string, env?: string) {
  const { project, environment } = await requireMailbox(db, ctx.actor, slug, env);
  return withTransaction(db, async (tx) => {
    const deleted = await deleteMail(tx, project.id, environment?.id);
    await recordAudit(tx, ctx, {
      action: 'mailbox.clear',
      target: { type: 'mailbox', id: project.id },
      projectId: project.id,
      data: { environment: environment?.name ?? null, deleted },
    });
    return { deleted };
  });
}
