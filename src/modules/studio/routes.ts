import { z } from 'zod';
import { PageQuery } from '../../platform/http/cursor.ts';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import { listTemplates } from '../agents/index.ts';
import { createArchitectChat } from './architect/architect-chat.ts';
import { sendArchitectMessage } from './architect/send-architect-message.ts';
import { registerBoardRoutes } from './board/board-routes.ts';
import { registerBuildRoutes } from './build/build-routes.ts';
import { createBlueprint } from './create-blueprint.ts';
import type { ChatHandler, StudioRouteDeps } from './deps.ts';
import { diffSnapshots } from './diff-snapshots.ts';
import { getBlueprint } from './get-blueprint.ts';
import { getSnapshot } from './get-snapshot.ts';
import { listBlueprints } from './list-blueprints.ts';
import { listSnapshots } from './list-snapshots.ts';
import { patchBlueprint } from './patch-blueprint.ts';
import {
  BlueprintIdParam,
  BlueprintPatchBody,
  BlueprintView,
  CreateBlueprintBody,
  DiffQuery,
  DiffView,
  LlmChatAnswer,
  MessageBody,
  PatchQuery,
  RulesChatAnswer,
  SnapshotDetailView,
  SnapshotsQuery,
  SnapshotView,
  StatusBody,
  TemplatesPage,
  VersionParams,
} from './schemas.ts';
import { changeBlueprintStatus } from './set-blueprint-status.ts';
import { toBlueprintView } from './views.ts';

const tags = ['studio'];
const SlugParam = z.object({ slug: z.string().min(1).max(100) });

export function studioRoutes(res: StudioRouteDeps, options: { chat?: ChatHandler } = {}) {
  const { db } = res;
  const chat = options.chat ?? createArchitectChat(res);
  return async (app: HttpApp) => {
    registerBuildRoutes(app, res);
    registerBoardRoutes(app, res);

    app.get('/api/templates', { schema: { tags, response: { 200: TemplatesPage } } }, async () => ({
      items: listTemplates().map((t) => ({
        id: t.id,
        name: t.name,
        description: t.description,
        blueprint: t.blueprint,
      })),
      nextCursor: null,
    }));

    app.get(
      '/api/projects/:slug/blueprints',
      { schema: { tags, params: SlugParam, querystring: PageQuery } },
      async (request) => listBlueprints(db, contextOf(request).actor, request.params.slug, request.query),
    );

    app.post(
      '/api/projects/:slug/blueprints',
      { schema: { tags, params: SlugParam, body: CreateBlueprintBody, response: { 201: BlueprintView } } },
      async (request, reply) => {
        const { row } = await createBlueprint(db, contextOf(request), {
          slug: request.params.slug,
          ...request.body,
        });
        return reply.status(201).send(toBlueprintView(row));
      },
    );

    app.get(
      '/api/blueprints/:id',
      { schema: { tags, params: BlueprintIdParam, response: { 200: BlueprintView } } },
      async (request) => getBlueprint(res, contextOf(request).actor, request.params.id),
    );

    app.patch(
      '/api/blueprints/:id',
      {
        schema: { tags, params: BlueprintIdParam, querystring: PatchQuery, body: BlueprintPatchBody },
      },
      async (request) => {
        const ifMatch = request.headers['if-match'];
        const expected =
          typeof ifMatch === 'string' && /^"?\d+"?$/.test(ifMatch)
            ? Number(ifMatch.replaceAll('"', ''))
            : undefined;
        const { row } = await patchBlueprint(
          db,
          contextOf(request),
          request.params.id,
          request.body,
          expected,
          { referenceId: request.query.reference },
        );
        return toBlueprintView(row);
      },
    );

    app.post(
      '/api/blueprints/:id/messages',
      {
        schema: {
          tags,
          params: BlueprintIdParam,
          body: MessageBody,
          response: { 200: RulesChatAnswer, 202: LlmChatAnswer },
        },
      },
      async (request, reply) => {
        const answer = await sendArchitectMessage(
          { db, chat },
          contextOf(request),
          request.params.id,
          request.body,
        );
        return reply.status(answer.status).send(answer.body);
      },
    );

    app.post(
      '/api/blueprints/:id/status',
      { schema: { tags, params: BlueprintIdParam, body: StatusBody, response: { 200: BlueprintView } } },
      async (request) =>
        toBlueprintView(await changeBlueprintStatus(db, contextOf(request), request.params.id, request.body)),
    );

    app.get(
      '/api/blueprints/:id/snapshots',
      {
        schema: {
          tags,
          params: BlueprintIdParam,
          querystring: SnapshotsQuery,
          response: { 200: z.object({ items: z.array(SnapshotView), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => listSnapshots(db, contextOf(request).actor, request.params.id, request.query),
    );

    app.get(
      '/api/blueprints/:id/snapshots/:version',
      { schema: { tags, params: VersionParams, response: { 200: SnapshotDetailView } } },
      async (request) => getSnapshot(db, contextOf(request).actor, request.params.id, request.params.version),
    );

    app.get(
      '/api/blueprints/:id/diff',
      { schema: { tags, params: BlueprintIdParam, querystring: DiffQuery, response: { 200: DiffView } } },
      async (request) => diffSnapshots(db, contextOf(request).actor, request.params.id, request.query),
    );
  };
}
