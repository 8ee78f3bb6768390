import type { RequestContext } from '../../../platform/context.ts';
import { DomainError } from '../../../platform/errors.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import { findUserById } from '../../identity/index.ts';
import { addComment, type ReviewEvent, type ReviewListener } from '../../reviews/index.ts';
import { projectAgentActor } from '../sessions/agent-principal-actor.ts';
import { AgentRuntimeName } from '../sessions/schemas.ts';
import type { AgentSessionDeps } from '../sessions/session-deps.ts';
import { sessionLink } from '../sessions/session-link.ts';
import { findActiveSession, findLatestSessionOn } from '../sessions/session-store.ts';
import { startAgentSession } from '../sessions/start-agent-session.ts';
import { agentCommand } from './agent-command.ts';

type MergeRequestEvent = Extract<ReviewEvent, { type: 'merge_request' }>;

/**
 * `/agent <instructions>` in a comment on an open merge request, by a person who may start agent
 * sessions there (developers): a new session on the merge request's `orchard/*` source branch, so
 * its commit lands on the same merge request. It uses the runtime, model and issue of the branch's
 * last session. While a session still works on the branch the command is refused as busy (not
 * queued: the person decides again once they have seen that session's work). The agent answers
 * every command with a comment; comments by agents never start one, so there are no loops.
 */
export function agentsOnReviewEvent(deps: AgentSessionDeps): ReviewListener {
  return async (event) => {
    if (event.type !== 'merge_request' || event.action !== 'commented' || !event.comment) return;
    const instructions = agentCommand(event.comment.body);
    if (instructions === undefined) return;
    if (event.actor.delegation || isSystemActor(event.actor)) return;
    const person = await findUserById(deps.db, event.actor.userId);
    if (person?.kind !== 'human') return;
    const ctx: RequestContext = { actor: event.actor };
    const reply = async (body: string) => {
      const agent = await projectAgentActor(deps.db, ctx, { id: event.projectId, slug: event.projectSlug });
      await addComment(
        deps,
        deps,
        { actor: agent },
        event.projectSlug,
        'merge_request',
        event.mergeRequest.number,
        body,
      );
    };
    await reply(await runCommand(deps, ctx, event, instructions));
  };
}

/** Starts the session the command asks for; what to answer the comment with. */
async function runCommand(
  deps: AgentSessionDeps,
  ctx: RequestContext,
  event: MergeRequestEvent,
  instructions: string,
): Promise<string> {
  const mr = event.mergeRequest;
  const branch = mr.sourceBranch;
  if (!instructions)
    return 'Tell the agent what to do after `/agent`, e.g. `/agent rename the CSV header to "Title"`.';
  if (mr.state !== 'open')
    return `This merge request is ${mr.state}, so there is no branch for the agent to work on. Open an issue and assign it to an agent instead.`;
  if (!branch.startsWith('orchard/'))
    return `Agents push only to orchard/* branches, and this merge request's branch is ${branch}. Push the change to ${branch} yourself, or start an agent session on a new orchard/ branch.`;
  const busy = await findActiveSession(deps.db, event.projectId, { branch });
  if (busy)
    return `The agent is busy: session ${sessionLink(busy.id)} is still working on ${branch}. Comment again once it has finished, or cancel it.`;
  const last = await findLatestSessionOn(deps.db, event.projectId, branch);
  try {
    const session = await startAgentSession(
      deps,
      ctx,
      event.projectSlug,
      {
        title: `!${mr.number}: ${instructions.split('\n')[0]!}`.slice(0, 200),
        instructions: `${instructions}\n\nThis was asked in a review comment on merge request !${mr.number} ("${mr.title}"); you are working on its branch, ${branch}.`,
        runtime: AgentRuntimeName.safeParse(last?.runtime).data ?? 'llm-agent',
        budget: {},
        ...(last?.model ? { model: last.model } : {}),
        branch,
      },
      last?.issue_number ? { issueNumber: last.issue_number } : {},
    );
    return `On it: agent session ${sessionLink(session.id)} works on ${branch}; its commit will show up here.`;
  } catch (error) {
    if (error instanceof DomainError) return `The agent could not start: ${error.message}`;
    throw error;
  }
}
