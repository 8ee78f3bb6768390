import type { Queryable } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { findProjectById, requireProjectRole } from '../../projects/index.ts';
import { type ConversationRow, findConversation } from './store.ts';

/**
 * Loads a conversation the actor may read (`read`: project viewers) or change (`write`: project
 * developers). A conversation outside any project belongs to its owner alone.
 */
export async function requireConversation(
  db: Queryable,
  actor: Actor,
  id: string,
  access: 'read' | 'write',
): Promise<{ conversation: ConversationRow; project: { slug: string; name: string } | null }> {
  const conversation = await findConversation(db, id);
  if (!conversation) throw new NotFoundError(`No conversation ${id}.`);
  if (conversation.project_id) {
    const project = await findProjectById(db, conversation.project_id);
    if (!project) throw new NotFoundError(`No conversation ${id}.`);
    await requireProjectRole(db, actor, project.slug, access === 'read' ? 'viewer' : 'developer');
    return { conversation, project: { slug: project.slug, name: project.name } };
  }
  // Not saying whether someone else's private conversation exists.
  if (conversation.owner_id !== actor.userId) throw new NotFoundError(`No conversation ${id}.`);
  return { conversation, project: null };
}
