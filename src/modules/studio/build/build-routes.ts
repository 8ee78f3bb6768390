import { z } from 'zod';
import { PageQuery } from '../../../platform/http/cursor.ts';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import { TemplateId } from '../../blueprint/index.ts';
import type { StudioRouteDeps } from '../deps.ts';
import { listFeatures } from '../list-features.ts';
import { BlueprintIdParam } from '../schemas.ts';
import { startBuild } from './start-build.ts';
import { startPromptBuild } from './start-prompt.ts';

const tags = ['studio'];
const BuildBody = z.object({ override: z.boolean().optional() }).default({});
const PromptBody = z.object({
  prompt: z.string().trim().min(3, 'describe what to build in a few words').max(4000),
  template: TemplateId.optional(),
  project: z.string().trim().min(1).max(100).optional(),
});
const Started = z.object({ operationId: z.string(), featureId: z.string(), eventsUrl: z.string() });

const eventsUrl = (operationId: string) => `/api/operations/${operationId}/events`;

/** Builds: `POST /api/blueprints/:id/build`, `POST /api/prompts`, and a Blueprint's features. */
export function registerBuildRoutes(app: HttpApp, res: StudioRouteDeps) {
  app.post(
    '/api/blueprints/:id/build',
    {
      schema: {
        tags,
        params: BlueprintIdParam,
        body: BuildBody,
        response: { 202: Started.extend({ branch: z.string() }) },
      },
    },
    async (request, reply) => {
      const started = await startBuild(res, contextOf(request), request.params.id, {
        override: request.body.override,
      });
      return reply.status(202).send({ ...started, eventsUrl: eventsUrl(started.operationId) });
    },
  );

  app.post(
    '/api/prompts',
    {
      schema: {
        tags,
        body: PromptBody,
        response: {
          202: Started.extend({ projectSlug: z.string(), blueprintId: z.string(), branch: z.string() }),
        },
      },
    },
    async (request, reply) => {
      const started = await startPromptBuild(res, contextOf(request), request.body);
      return reply.status(202).send({ ...started, eventsUrl: eventsUrl(started.operationId) });
    },
  );

  app.get(
    '/api/blueprints/:id/features',
    { schema: { tags, params: BlueprintIdParam, querystring: PageQuery } },
    async (request) => listFeatures(res.db, contextOf(request).actor, request.params.id, request.query),
  );
}
