import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { findEnvironmentByParam } from '../../deploy/index.ts';
import { requireProjectRole } from '../../projects/index.ts';

/**
 * A project's mailbox holds what its apps sent their users (sign-in links, reset codes): developers
 * and up read it. `env` narrows it to one environment (404 when there is none).
 */
export async function requireMailbox(db: Queryable, actor: Actor, slug: string, env?: string) {
  const { project } = await requireProjectRole(db, actor, slug, 'developer');
  const environment = env ? await findEnvironmentByParam(db, project.id, env) : undefined;
  return { project, environment };
}
