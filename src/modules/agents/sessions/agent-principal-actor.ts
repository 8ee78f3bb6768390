import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { ensureAgentPrincipal, recordAudit } from '../../identity/index.ts';
import { agentProjects } from '../../projects/index.ts';

/**
 * An agent principal acting for a person, in-process and without a token: who Orchard's own
 * comments about agent work are from (a session's outcome, a reply to `/agent`). Authorship and
 * the audit log read as for the agent's own actions (`agent-shop (for alice)`), and project checks
 * apply as to a delegated token (developer at most, this project only).
 */
export function agentActingFor(
  agent: { id: string; username: string },
  by: { id: string; username: string },
  projectId: string,
  sessionId: string | null,
): Actor {
  return {
    userId: agent.id,
    username: agent.username,
    role: 'member',
    via: 'token',
    scopes: ['write'],
    delegation: {
      byUserId: by.id,
      byUsername: by.username,
      projectId,
      pushBranches: 'orchard/*',
      agentSessionId: sessionId,
    },
  };
}

/**
 * The project's agent principal (made on first use, then a developer of the project, which is
 * audited as the person's doing) acting for `ctx.actor`.
 */
export async function projectAgentActor(
  db: Db,
  ctx: RequestContext,
  project: { id: string; slug: string },
  sessionId: string | null = null,
): Promise<Actor> {
  const user = await withTransaction(db, async (tx) => {
    const { user, memberAdded } = await ensureAgentPrincipal(tx, project, agentProjects(tx));
    if (memberAdded)
      await recordAudit(tx, ctx, {
        action: 'project.member.set',
        target: { type: 'user', id: user.id },
        projectId: project.id,
        data: { username: user.username, role: 'developer', agent: true },
      });
    return user;
  });
  return agentActingFor(user, { id: ctx.actor.userId, username: ctx.actor.username }, project.id, sessionId);
}
