import { z } from 'zod';
import {
  AGENTS_CANNOT_START_AGENTS,
  type AgentSessionDeps,
  cancelAgentSession,
  getAgentSession,
  listAgentSessions,
  readSessionEntries,
  SendMessageBody,
  StartAgentSessionBody,
  sendAgentMessage,
  sessionView,
  startAgentSession,
} from '../../agents/index.ts';
import { defineTool } from '../mcp-tool.ts';
import { awaitOperation, WaitSeconds } from './await-operation.ts';
import { Cursor, Limit, Slug } from './tool-inputs.ts';

const SessionId = z.uuid().describe('The agent session id (as start_agent_session answered)');

/** agents: start an agent session in a project, follow its transcript, cancel it, continue it. */
export function agentTools(deps: AgentSessionDeps) {
  return [
    defineTool({
      name: 'start_agent_session',
      set: 'agents',
      title: 'Start an agent session',
      description:
        "Starts a coding agent on a project (developers): it works on its own branch (orchard/agent-<n> unless branch names one under orchard/) and opens a merge request when done. Runtime, model and budget default to the project's .orchard/agent.yml. Reports its progress (files it changes, steps) for up to waitSeconds; follow it further with get_agent_session. Cancelling the call cancels the session.",
      input: StartAgentSessionBody.extend({ slug: Slug, waitSeconds: WaitSeconds }),
      route: {
        method: 'POST',
        url: '/api/projects/:slug/agent-sessions',
        config: { delegated: AGENTS_CANNOT_START_AGENTS },
      },
      progress: true,
      slugOf: (args) => args.slug,
      run: async (ctx, { slug, waitSeconds, ...body }, call) => {
        const row = await startAgentSession(deps, ctx, slug, body);
        if (!row.operation_id) return sessionView(deps.db, row);
        const { ended } = await awaitOperation(deps, ctx, call, row.operation_id, waitSeconds, () =>
          cancelAgentSession(deps, ctx, row.id),
        );
        const session = await getAgentSession(deps.db, ctx.actor, row.id);
        return ended ? session : { ...session, note: 'Still working: follow it with get_agent_session.' };
      },
    }),
    defineTool({
      name: 'get_agent_session',
      set: 'agents',
      title: 'Get an agent session',
      description:
        "An agent session's status, spend, branch and merge request, with its transcript after entry `after` (messages, tool calls, commands, files), oldest first. To follow a session, call again with `after` set to the last entry's id until it has ended (succeeded, failed or cancelled) and no entries are left.",
      input: z.object({
        id: SessionId,
        after: z
          .union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,15}$/)])
          .default(0)
          .describe('The id of the last entry read (or transcript.nextCursor); 0: from the start'),
        limit: z.number().int().min(1).max(500).default(100).describe('Transcript entries at most'),
      }),
      route: { method: 'GET', url: '/api/agent-sessions/:id' },
      minRole: 'viewer',
      run: async (ctx, args) => ({
        session: await getAgentSession(deps.db, ctx.actor, args.id),
        transcript: await readSessionEntries(deps.db, ctx.actor, args.id, {
          after: Number(args.after),
          limit: args.limit,
        }),
      }),
    }),
    defineTool({
      name: 'list_agent_sessions',
      set: 'agents',
      title: 'List agent sessions',
      description:
        'Agent sessions of one project (project: its slug) or of every project you belong to, newest first, with their status and branch.',
      input: z.object({
        project: Slug.optional(),
        limit: Limit,
        cursor: Cursor,
      }),
      route: { method: 'GET', url: '/api/agent-sessions' },
      run: (ctx, args) => listAgentSessions(deps.db, ctx.actor, args),
    }),
    defineTool({
      name: 'cancel_agent_session',
      set: 'agents',
      title: 'Cancel an agent session',
      description:
        'Stops a queued or running agent session (developers of its project): its operation is cancelled and the agent stopped; its token is revoked.',
      input: z.object({ id: SessionId }),
      route: { method: 'POST', url: '/api/agent-sessions/:id/cancel' },
      minRole: 'developer',
      run: async (ctx, args) => sessionView(deps.db, await cancelAgentSession(deps, ctx, args.id)),
    }),
    defineTool({
      name: 'send_agent_message',
      set: 'agents',
      title: 'Continue an agent session',
      description:
        'A follow-up instruction to a session that has ended (developers): the agent runs again on the same branch with the conversation so far. A session still working must finish or be cancelled first.',
      input: SendMessageBody.extend({ id: SessionId }),
      route: { method: 'POST', url: '/api/agent-sessions/:id/messages' },
      minRole: 'developer',
      run: async (ctx, args) =>
        sessionView(deps.db, await sendAgentMessage(deps, ctx, args.id, args.content)),
    }),
  ];
}
