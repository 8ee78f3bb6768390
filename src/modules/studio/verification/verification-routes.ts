import { z } from 'zod';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import { VerifyBody, type VerifyEnvironmentDeps, verifyEnvironment } from './verify-environment.ts';

const SlugParam = z.object({ slug: z.string().min(1).max(100) });
const VerifyStarted = z.object({
  operationId: z.string(),
  eventsUrl: z.string(),
  environment: z.string().nullable(),
  url: z.string(),
  sha: z.string().nullable(),
  says: z.string(),
});

/** `POST /api/projects/:slug/verify`: the browser robot on an environment or URL, as an operation. */
export function verificationRoutes(res: VerifyEnvironmentDeps) {
  return async (app: HttpApp) => {
    app.post(
      '/api/projects/:slug/verify',
      {
        // Agents verify what they deployed: checking changes nothing the robot did not see itself.
        config: { projectRole: 'developer', delegated: true },
        schema: {
          tags: ['studio'],
          description:
            "Runs the browser robot on an environment (its commit's .orchard/smoke.yml and the Blueprint's user stories, or the pages given) or a URL; a full run is recorded on the environment's release. Follow the operation for its screenshots.",
          params: SlugParam,
          body: VerifyBody,
          response: { 202: VerifyStarted },
        },
      },
      async (request, reply) => {
        const started = await verifyEnvironment(res, contextOf(request), {
          slug: request.params.slug,
          ...request.body,
        });
        return reply
          .status(202)
          .send({ ...started, eventsUrl: `/api/operations/${started.operationId}/events` });
      },
    );
  };
}
