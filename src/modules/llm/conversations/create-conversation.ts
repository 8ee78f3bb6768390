import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { ConversationView, CreateConversationBody } from './schemas.ts';
import { insertConversation } from './store.ts';
import { toConversationView } from './views.ts';

/** Starts a conversation in a project (developers and up) or, without one, the caller's own. */
export async function createConversation(
  db: Db,
  ctx: RequestContext,
  input: CreateConversationBody,
): Promise<ConversationView> {
  const project = input.project
    ? (await requireProjectRole(db, ctx.actor, input.project, 'developer')).project
    : null;
  return withTransaction(db, async (tx) => {
    const row = await insertConversation(tx, {
      projectId: project?.id ?? null,
      ownerId: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
      title: input.title,
    });
    await recordAudit(tx, ctx, {
      action: 'conversation.create',
      target: { type: 'conversation', id: row.id },
      projectId: project?.id ?? null,
      data: { title: row.title },
    });
    return toConversationView(row, project ? { slug: project.slug, name: project.name } : null);
  });
}
