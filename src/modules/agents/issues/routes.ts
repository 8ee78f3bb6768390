import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import { AgentSessionView } from '../sessions/schemas.ts';
import type { AgentSessionDeps } from '../sessions/session-deps.ts';
import { sessionView } from '../sessions/session-views.ts';
import { AGENTS_CANNOT_ASSIGN_AGENTS, assignIssueToAgent } from './assign-issue-to-agent.ts';
import { AssignAgentBody, IssueParams } from './schemas.ts';

/** `POST …/issues/:number/assign-agent`: an agent session works on the issue. */
export function registerIssueAgentRoutes(app: HttpApp, deps: AgentSessionDeps) {
  app.post(
    '/api/projects/:slug/issues/:number/assign-agent',
    {
      config: { delegated: AGENTS_CANNOT_ASSIGN_AGENTS },
      schema: {
        tags: ['issues', 'agents'],
        description:
          "Starts an agent session on the open issue (title and body are its task) on `orchard/issue-<n>-<title>`; the issue is assigned to the project's agent, and the merge request it opens closes the issue when merged.",
        params: IssueParams,
        body: AssignAgentBody,
        response: { 202: AgentSessionView },
      },
    },
    async (request, reply) => {
      const session = await assignIssueToAgent(
        deps,
        contextOf(request),
        request.params.slug,
        request.params.number,
        request.body,
      );
      return reply.status(202).send(await sessionView(deps.db, session));
    },
  );
}
