import { getAgentSession, StartAgentSessionBody, startAgentSession } from '../../agents/index.ts';
import type { KindHandler } from '../run/kind-call.ts';
import { runStartedOperation } from '../run/started-operation.ts';

/** `kind: agent`: a coding agent session on a branch, to its end (a merge request when it changed files). */
export const agentStep: KindHandler = (call) => {
  const body = StartAgentSessionBody.parse(call.with);
  const { deps, request, input } = call;
  return runStartedOperation(
    call,
    `The agent session "${body.title}"`,
    async () => {
      const session = await startAgentSession(deps.agents, request, input.run.projectSlug, body, {
        parentOperationId: call.ctx.operationId,
      });
      return {
        operationId: session.operation_id!,
        detail: { sessionId: session.id, branch: session.branch },
      };
    },
    async (_operation, detail) => {
      const session = await getAgentSession(deps.db, request.actor, String(detail.sessionId));
      return {
        session: session.id,
        status: session.status,
        branch: session.branch,
        headSha: session.headSha,
        mergeRequest: session.mergeRequestNumber,
        summary: session.summary,
      };
    },
  );
};
