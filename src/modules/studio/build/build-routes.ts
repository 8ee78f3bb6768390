import { z } from 'zod';
import { PageQuery } from '../../../platform/http/cursor.ts';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import { TemplateId } from '../../blueprint/index.ts';
import type { StudioRouteDeps } from '../deps.ts';
import { listFeatures } from '../list-features.ts';
import { BlueprintIdParam, FeatureList } from '../schemas.ts';
import { Classification, SdlcKind } from '../sdlc/sdlc-kinds.ts';
import { startBuild } from './start-build.ts';
import { startPromptBuild } from './start-prompt.ts';

const tags = ['studio'];
const BuildBody = z
  .object({
    override: z.boolean().optional(),
    /**
     * Wait for a review before main: the merge request stays open even on the project's first build
     * (default: the project's reviewFirst setting).
     */
    reviewFirst: z.boolean().optional(),
  })
  .default({});
const PromptBody = z.object({
  prompt: z.string().trim().min(3, 'describe what to build in a few words').max(4000),
  template: TemplateId.optional(),
  project: z.string().trim().min(1).max(100).optional(),
  /**
   * Wait for a review before main: the merge request stays open even on the project's first build
   * (default: the project's reviewFirst setting).
   */
  reviewFirst: z.boolean().optional(),
  /**
   * What kind of work it is, when the person knows (else it is classified). To a project whose app
   * is built, anything but a new feature becomes a change request of that app.
   */
  kind: SdlcKind.optional(),
});
const ChangeBody = z.strictObject({
  request: z.string().trim().min(3, 'say what to change in a few words').max(20_000),
  /** What kind of work it is, when the person knows (else it is classified). */
  kind: SdlcKind.optional(),
});
/** How well the closest template fits what was asked, and so who writes the code. */
const Fit = z.object({ template: TemplateId, confidence: z.number(), reason: z.string() });
const Started = z.object({
  operationId: z.string(),
  featureId: z.string(),
  eventsUrl: z.string(),
  runtime: z.enum(['scaffold', 'llm-agent']),
  fit: Fit,
  /** What kind of work the build's feature is, and so the phases it walks. */
  classification: Classification,
});

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
        reviewFirst: request.body.reviewFirst,
      });
      return reply.status(202).send({ ...started, eventsUrl: eventsUrl(started.operationId) });
    },
  );

  app.post(
    '/api/blueprints/:id/changes',
    {
      schema: {
        tags,
        description:
          'A change request to an app that was built ("add CSV export to the recipes page"): a coding agent makes it on a branch of its own, then the pipeline, a preview, browser verification and a merge request follow — one operation. The request is classified (new feature, change, bug fix, chore; the LLM when one serves the fast alias, else rules) and its feature walks the phases its kind needs: a bug fix skips spec and plan. Needs a model for the coder alias.',
        params: BlueprintIdParam,
        body: ChangeBody,
        response: { 202: Started.extend({ branch: z.string() }) },
      },
    },
    async (request, reply) => {
      const started = await startBuild(res, contextOf(request), request.params.id, {
        change: request.body.request,
        kind: request.body.kind,
        override: true,
      });
      return reply.status(202).send({ ...started, eventsUrl: eventsUrl(started.operationId) });
    },
  );

  app.post(
    '/api/prompts',
    {
      schema: {
        tags,
        description:
          'A prompt: a new project (or `project`), a Blueprint drafted from the prompt, and its build — one operation. To a project whose app is built, the prompt is classified first: a change, a bug fix or a chore becomes a change request of that app (`route: change`, made by a coding agent); a new feature drafts a new Blueprint (`route: blueprint`).',
        body: PromptBody,
        response: {
          202: Started.extend({
            projectSlug: z.string(),
            blueprintId: z.string(),
            branch: z.string(),
            route: z.enum(['blueprint', 'change']),
          }),
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
    { schema: { tags, params: BlueprintIdParam, querystring: PageQuery, response: { 200: FeatureList } } },
    async (request) => listFeatures(res.db, contextOf(request).actor, request.params.id, request.query),
  );
}
