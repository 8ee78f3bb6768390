import type { Queryable } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { findProjectById, type ProjectRole, requireProjectRole } from '../../projects/index.ts';
import { findSession, type SessionRow } from './session-store.ts';

/** A session the actor may see (viewers) or act on (`developer`); others get the same 404 as a missing one. */
export async function requireSession(
  db: Queryable,
  actor: Actor,
  id: string,
  needed: ProjectRole,
): Promise<SessionRow> {
  const session = await findSession(db, id);
  const project = session && (await findProjectById(db, session.project_id));
  if (!session || !project) throw new NotFoundError(`No agent session ${id}.`);
  try {
    await requireProjectRole(db, actor, project.slug, 'viewer');
  } catch {
    throw new NotFoundError(`No agent session ${id}.`);
  }
  if (needed !== 'viewer') await requireProjectRole(db, actor, project.slug, needed);
  return session;
}
