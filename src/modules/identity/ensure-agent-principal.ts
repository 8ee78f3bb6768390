import type { Queryable } from '../../platform/db/pool.ts';
import { ConflictError } from '../../platform/errors.ts';
import { agentNames } from './agent-name.ts';
import type { AgentProjects } from './agent-projects.ts';
import { findUserByName, insertAgentUser, type UserRow } from './store.ts';

/**
 * The project's agent principal: one user of kind `agent` per project (`agent-<slug>`), created on
 * first use, with no password (it never logs in) and the developer role in that project so the
 * ordinary project checks apply to it. One per project, not one per instance, so the agent of one
 * project is no member of any other and the audit log names the project it worked in. Concurrent
 * calls agree on the same user.
 */
export async function ensureAgentPrincipal(
  db: Queryable,
  project: { id: string; slug: string },
  projects: Pick<AgentProjects, 'addAgentMember'>,
): Promise<{ user: UserRow; memberAdded: boolean }> {
  for (const username of agentNames(project)) {
    const user =
      (await insertAgentUser(db, { username, email: `${username}@agents.invalid` })) ??
      (await findUserByName(db, username));
    // Taken by a person (made before the names were kept for agents): try the next name.
    if (user?.kind !== 'agent') continue;
    if (user.disabled)
      throw new ConflictError(
        `The agent principal ${username} is disabled; an instance admin can enable it again.`,
      );
    const memberAdded = await projects.addAgentMember(db, project.id, user.id);
    return { user, memberAdded };
  }
  throw new ConflictError(
    `No name is free for the agent of project "${project.slug}": ${agentNames(project).join(', ')} belong to people.`,
  );
}
