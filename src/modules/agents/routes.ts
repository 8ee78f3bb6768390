import type { Readable } from 'node:stream';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import { createSseHub, lastEventId, wantsEventStream } from '../../platform/http/sse.ts';
import { registerIssueAgentRoutes } from './issues/routes.ts';
import { cancelAgentSession } from './sessions/cancel-agent-session.ts';
import { getAgentSession } from './sessions/get-agent-session.ts';
import { listAgentSessions } from './sessions/list-agent-sessions.ts';
import { readSessionEntries } from './sessions/read-session-entries.ts';
import { requireSession } from './sessions/require-session.ts';
import {
  AgentSessionEntryView,
  AgentSessionView,
  EntriesQuery,
  ListAgentSessionsQuery,
  SendMessageBody,
  SessionParams,
  SlugParams,
  StartAgentSessionBody,
} from './sessions/schemas.ts';
import { sendAgentMessage } from './sessions/send-agent-message.ts';
import type { AgentSessionDeps } from './sessions/session-deps.ts';
import { sessionView } from './sessions/session-views.ts';
import { AGENTS_CANNOT_START_AGENTS, startAgentSession } from './sessions/start-agent-session.ts';
import { streamSession } from './sessions/stream-session.ts';

const tags = ['agents'];

/**
 * Agent sessions: start, list, read, follow (SSE), cancel, and continue with a follow-up message;
 * and assigning an issue to an agent.
 */
export function agentRoutes(deps: AgentSessionDeps) {
  const { db } = deps;
  return async (app: HttpApp) => {
    const hub = createSseHub(app);
    registerIssueAgentRoutes(app, deps);

    app.post(
      '/api/projects/:slug/agent-sessions',
      {
        config: { delegated: AGENTS_CANNOT_START_AGENTS },
        schema: {
          tags,
          params: SlugParams,
          body: StartAgentSessionBody,
          response: { 202: AgentSessionView },
        },
      },
      async (request, reply) => {
        const session = await startAgentSession(deps, contextOf(request), request.params.slug, request.body);
        return reply.status(202).send(await sessionView(db, session));
      },
    );

    app.get(
      '/api/agent-sessions',
      {
        schema: {
          tags,
          querystring: ListAgentSessionsQuery,
          response: {
            200: z.object({ items: z.array(AgentSessionView), nextCursor: z.string().nullable() }),
          },
        },
      },
      async (request) => listAgentSessions(db, contextOf(request).actor, request.query),
    );

    app.get(
      '/api/agent-sessions/:id',
      { schema: { tags, params: SessionParams, response: { 200: AgentSessionView } } },
      async (request) => getAgentSession(db, contextOf(request).actor, request.params.id),
    );

    app.get(
      '/api/agent-sessions/:id/events',
      {
        schema: {
          tags,
          description:
            'The transcript: a JSON page of entries after `?after=`, or with `Accept: text/event-stream` a live stream that replays after Last-Event-ID (or ?after=) and ends once a session that is no longer working has been caught up with.',
          params: SessionParams,
          querystring: EntriesQuery,
          response: {
            200: z.object({ items: z.array(AgentSessionEntryView), nextCursor: z.string().nullable() }),
          },
        },
      },
      async (request, reply) => {
        const { actor } = contextOf(request);
        const session = await requireSession(db, actor, request.params.id, 'viewer');
        const header = lastEventId(request);
        if (header !== undefined && !/^\d{1,15}$/.test(header))
          throw new ValidationError('Last-Event-ID must be an entry id.', [
            { field: 'headers.last-event-id', message: 'must be a non-negative integer' },
          ]);
        const after = header !== undefined ? Number(header) : request.query.after;
        if (!wantsEventStream(request))
          return readSessionEntries(db, actor, session.id, { after, limit: request.query.limit });
        const sse = hub.open(request, reply, {
          projectId: session.project_id,
          check: (fresh) => requireSession(db, fresh, session.id, 'viewer'),
        });
        await streamSession(sse, deps, session.id, after).catch((error) => {
          request.log.warn({ err: error }, 'agent session stream failed');
          sse.destroy();
        });
        return reply;
      },
    );

    app.get(
      '/api/agent-sessions/:id/entries/:seq/full',
      {
        schema: {
          tags,
          description:
            'The whole of a transcript entry whose `data` was cut (long tool output, large file content).',
          params: SessionParams.extend({ seq: z.coerce.number().int().min(1).max(2_147_483_647) }),
        },
      },
      async (request, reply) => {
        const session = await requireSession(db, contextOf(request).actor, request.params.id, 'viewer');
        const { rows } = await db.query<{ blob_key: string | null }>(
          'SELECT blob_key FROM agent_session_entries WHERE session_id = $1 AND seq = $2',
          [session.id, request.params.seq],
        );
        const key = rows[0]?.blob_key;
        const blob = key ? await deps.blobs.get(key) : undefined;
        if (!blob)
          throw new NotFoundError(
            `Entry ${request.params.seq} of this session was not cut; its data is whole.`,
          );
        return reply.type('application/json').send(blob.stream as Readable);
      },
    );

    app.post(
      '/api/agent-sessions/:id/cancel',
      { schema: { tags, params: SessionParams, response: { 200: AgentSessionView } } },
      async (request) => {
        const session = await cancelAgentSession(deps, contextOf(request), request.params.id);
        return await sessionView(db, session);
      },
    );

    app.post(
      '/api/agent-sessions/:id/messages',
      { schema: { tags, params: SessionParams, body: SendMessageBody, response: { 202: AgentSessionView } } },
      async (request, reply) => {
        const session = await sendAgentMessage(
          deps,
          contextOf(request),
          request.params.id,
          request.body.content,
        );
        return reply.status(202).send(await sessionView(db, session));
      },
    );
  };
}
