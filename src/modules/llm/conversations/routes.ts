import { z } from 'zod';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import { addMessage } from './add-message.ts';
import { createConversation } from './create-conversation.ts';
import { deleteConversation } from './delete-conversation.ts';
import { exportConversation } from './export-conversation.ts';
import { getConversation } from './get-conversation.ts';
import { listConversations } from './list-conversations.ts';
import {
  AddMessageBody,
  ConversationDetail,
  ConversationParams,
  ConversationView,
  CreateConversationBody,
  ExportQuery,
  ListConversationsQuery,
  MessageView,
  UpdateConversationBody,
} from './schemas.ts';
import { renameConversation } from './update-conversation.ts';

const tags = ['conversations'];
const Page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export function conversationRoutes(db: Db, clock: Clock) {
  return async (app: HttpApp) => {
    app.post(
      '/api/conversations',
      { schema: { tags, body: CreateConversationBody, response: { 201: ConversationView } } },
      async (request, reply) =>
        reply.status(201).send(await createConversation(db, contextOf(request), request.body)),
    );

    app.get(
      '/api/conversations',
      { schema: { tags, querystring: ListConversationsQuery, response: { 200: Page(ConversationView) } } },
      async (request) => listConversations(db, contextOf(request).actor, request.query),
    );

    app.get(
      '/api/conversations/:id',
      { schema: { tags, params: ConversationParams, response: { 200: ConversationDetail } } },
      async (request) => getConversation(db, contextOf(request).actor, request.params.id),
    );

    app.patch(
      '/api/conversations/:id',
      {
        schema: {
          tags,
          params: ConversationParams,
          body: UpdateConversationBody,
          response: { 200: ConversationView },
        },
      },
      async (request) => renameConversation(db, contextOf(request), request.params.id, request.body.title),
    );

    app.delete(
      '/api/conversations/:id',
      { schema: { tags, params: ConversationParams } },
      async (request, reply) => {
        await deleteConversation(db, contextOf(request), request.params.id);
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/conversations/:id/messages',
      { schema: { tags, params: ConversationParams, body: AddMessageBody, response: { 201: MessageView } } },
      async (request, reply) =>
        reply.status(201).send(await addMessage(db, contextOf(request), request.params.id, request.body)),
    );

    app.get(
      '/api/conversations/:id/export',
      { schema: { tags, params: ConversationParams, querystring: ExportQuery } },
      async (request, reply) => {
        const out = await exportConversation(
          db,
          contextOf(request).actor,
          request.params.id,
          request.query.format,
          clock.now(),
        );
        return reply
          .type(out.contentType)
          .header('content-disposition', `attachment; filename="${out.filename}"`)
          .send(out.body);
      },
    );
  };
}
