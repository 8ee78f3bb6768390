import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { requireSession } from './require-session.ts';
import type { AgentSessionView } from './schemas.ts';
import { sessionView } from './session-views.ts';

export async function getAgentSession(db: Queryable, actor: Actor, id: string): Promise<AgentSessionView> {
  const session = await requireSession(db, actor, id, 'viewer');
  return sessionView(db, session);
}
