import type { Queryable } from '../../platform/db/pool.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import type { Actor, Delegation } from '../../platform/http/actor.ts';
import { findUserById } from '../identity/index.ts';
import type { ProjectRole } from './schemas.ts';
import { findMemberRole, findProjectBySlug, type ProjectRow } from './store.ts';

const RANK: Record<ProjectRole, number> = { viewer: 0, developer: 1, maintainer: 2, owner: 3 };

export function roleAtLeast(role: ProjectRole, needed: ProjectRole) {
  return RANK[role] >= RANK[needed];
}

/** The lower of two roles. */
export function roleAtMost(role: ProjectRole, cap: ProjectRole): ProjectRole {
  return RANK[role] <= RANK[cap] ? role : cap;
}

/** The most an agent token ever holds in its project, whatever its principal's or its person's role. */
export const DELEGATED_MAX_ROLE: ProjectRole = 'developer';

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
  const found = await findProjectBySlug(db, slug);
  const { project, role } = actor.delegation
    ? await delegatedAccess(db, actor, actor.delegation, slug, found)
    : await memberAccess(db, actor, slug, found);
  if (!roleAtLeast(role, needed)) {
    throw new ForbiddenError(`This needs the ${needed} role in project "${slug}"; you are ${role}.`);
  }
  if (project.archived_at && !options.allowArchived && needed !== 'viewer') {
    throw new ForbiddenError(`Project "${slug}" is archived; unarchive it first.`);
  }
  return { project, role };
}

async function memberAccess(
  db: Queryable,
  actor: Actor,
  slug: string,
  project: ProjectRow | undefined,
): Promise<ProjectAccess> {
  if (!project) throw new NotFoundError(`No project "${slug}".`);
  const role = actor.role === 'admin' ? 'owner' : await findMemberRole(db, project.id, actor.userId);
  if (!role) throw new ForbiddenError(`You are not a member of project "${slug}"; ask an owner to add you.`);
  return { project, role };
}

/**
 * An agent token's role: only in its own project (any other, existing or not, is the same 403),
 * and never more than developer, its principal's role or its person's role there now.
 */
async function delegatedAccess(
  db: Queryable,
  actor: Actor,
  delegation: Delegation,
  slug: string,
  project: ProjectRow | undefined,
): Promise<ProjectAccess> {
  if (!project || project.id !== delegation.projectId)
    throw new ForbiddenError(
      `This agent token works only in the project it was delegated for; it cannot reach project "${slug}".`,
    );
  // One after the other: `db` may be a transaction's single client.
  const agent = await findMemberRole(db, project.id, actor.userId);
  const person = await currentProjectRole(db, project.id, delegation.byUserId);
  if (!agent || !person)
    throw new ForbiddenError(
      `${agent ? delegation.byUsername : actor.username} is no longer a member of project "${slug}", so this agent token cannot act there.`,
    );
  return { project, role: roleAtMost(roleAtMost(agent, person), DELEGATED_MAX_ROLE) };
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
