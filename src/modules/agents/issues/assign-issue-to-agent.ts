import type { RequestContext } from '../../../platform/context.ts';
import { ConflictError } from '../../../platform/errors.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import { slugify } from '../../../platform/slugify.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import { addComment, getIssue, updateIssue } from '../../reviews/index.ts';
import { projectAgentActor } from '../sessions/agent-principal-actor.ts';
import type { AgentSessionDeps } from '../sessions/session-deps.ts';
import { sessionLink } from '../sessions/session-link.ts';
import { findActiveSession, type SessionRow } from '../sessions/session-store.ts';
import { startAgentSession } from '../sessions/start-agent-session.ts';
import type { AssignAgentBody } from './schemas.ts';

/** A person decides what agents work on. */
export const AGENTS_CANNOT_ASSIGN_AGENTS =
  'Agent tokens cannot assign issues to agents: a person decides what agents work on';

/** The branch an issue's agent works on: `orchard/issue-12-login-fails`. */
export function issueBranch(number: number, title: string): string {
  return `orchard/issue-${number}-${slugify(title, 'work')}`;
}

/**
 * Assigns an open issue to the project's agent (developers): an agent session whose task is the
 * issue (title, body, extra instructions) on the issue's own branch, ending in a merge request
 * that closes the issue when merged. The issue is assigned to the agent principal and says so in a
 * comment from the person who assigned it. One session per issue at a time.
 */
export async function assignIssueToAgent(
  deps: AgentSessionDeps,
  ctx: RequestContext,
  slug: string,
  number: number,
  body: AssignAgentBody,
): Promise<SessionRow> {
  requireUndelegated(ctx.actor, AGENTS_CANNOT_ASSIGN_AGENTS);
  const { project } = await requireProjectRole(deps.db, ctx.actor, slug, 'developer');
  const issue = await getIssue(deps.db, ctx.actor, slug, number);
  if (issue.state !== 'open')
    throw new ConflictError(`Issue #${number} is closed; reopen it before assigning it to an agent.`);
  const busy = await findActiveSession(deps.db, project.id, { issueNumber: number });
  if (busy)
    throw new ConflictError(
      `Agent session ${busy.id} is already working on issue #${number}; wait for it to finish or cancel it.`,
      { sessionId: busy.id },
    );
  const session = await startAgentSession(
    deps,
    ctx,
    slug,
    {
      title: issue.title.slice(0, 200),
      instructions: [issue.body.trim(), body.instructions, `This addresses issue #${number}.`]
        .filter(Boolean)
        .join('\n\n'),
      runtime: body.runtime,
      budget: body.budget,
      ...(body.model ? { model: body.model } : {}),
      branch: issueBranch(number, issue.title),
    },
    {
      issueNumber: number,
      // Audited in the session's own transaction: no assignment without its audit row.
      audit: (tx, started) =>
        recordAudit(tx, ctx, {
          action: 'issue.assign_agent',
          target: { type: 'issue', id: issue.id },
          projectId: project.id,
          data: { number, sessionId: started.id, branch: started.branch },
        }),
    },
  );
  const agent = await projectAgentActor(deps.db, ctx, project, session.id);
  await updateIssue(deps, deps, ctx, slug, number, { assignee: agent.username });
  await addComment(
    deps,
    deps,
    ctx,
    slug,
    'issue',
    number,
    `Assigned to an agent: session ${sessionLink(session.id)} (on ${session.branch}).`,
  );
  return session;
}
