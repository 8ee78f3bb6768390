import type { Queryable } from '../../platform/db/pool.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { findUserById } from '../identity/index.ts';
import type { ProjectRole } from './schemas.ts';
import { findMemberRole, findProjectBySlug, type ProjectRow } from './store.ts';

const RANK: Record<ProjectRole, number> = { viewer: 0, developer: 1, maintainer: 2, owner: 3 };

export function roleAtLeast(role: ProjectRole, needed: ProjectRole) {
  return RANK[role] >= RANK[needed];
}

export interface ProjectAccess {
  project: ProjectRow;
  /** The actor's effective role; instance admins act as owners. */
  role: ProjectRole;
}

/**
 * Loads a project by slug and checks that the actor holds at least `needed` in it. Every project
 * route and every other module's project-scoped use case goes through here.
 */
export async function requireProjectRole(
  db: Queryable,
  actor: Actor,
  slug: string,
  needed: ProjectRole,
  options: { allowArchived?: boolean } = {},
): Promise<ProjectAccess> {
  const project = await findProjectBySlug(db, slug);
  if (!project) throw new NotFoundError(`No project "${slug}".`);
  const role = actor.role === 'admin' ? 'owner' : await findMemberRole(db, project.id, actor.userId);
  if (!role) throw new ForbiddenError(`You are not a member of project "${slug}"; ask an owner to add you.`);
  if (!roleAtLeast(role, needed)) {
    throw new ForbiddenError(`This needs the ${needed} role in project "${slug}"; you are ${role}.`);
  }
  if (project.archived_at && !options.allowArchived && needed !== 'viewer') {
    throw new ForbiddenError(`Project "${slug}" is archived; unarchive it first.`);
  }
  return { project, role };
}

/**
 * The role a user holds in a project right now (instance admins act as owners), for decisions
 * taken long after the request that caused them (a job starting, a schedule firing). Undefined
 * for a user who is disabled, deleted or no longer a member.
 */
export async function currentProjectRole(
  db: Queryable,
  projectId: string,
  userId: string,
): Promise<ProjectRole | undefined> {
  const user = await findUserById(db, userId);
  if (!user || user.disabled) return undefined;
  return user.role === 'admin' ? 'owner' : findMemberRole(db, projectId, userId);
}
