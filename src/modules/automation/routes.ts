import { z } from 'zod';
import type { BlobStore } from '../../platform/blobs/index.ts';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import type { Resources } from '../../platform/resources.ts';
import { openArtifact } from './open-artifact.ts';
import { type StartTaskDeps, startAutomationTask } from './tasks/start-task.ts';
import { AutomationTaskBody } from './tasks/task-input.ts';

const ArtifactParams = z.object({ '*': z.string().min(1).max(1024) });
const SlugParam = z.object({ slug: z.string().min(1).max(100) });
const TaskStarted = z.object({
  operationId: z.string(),
  eventsUrl: z.string(),
  environment: z.string().nullable(),
});

/**
 * `GET /api/artifacts/<blob key>`: screenshots, HARs and traces of operations the caller may see.
 * `POST /api/projects/:slug/automation/tasks`: an automation task, as an operation.
 */
export function automationRoutes(res: Resources & { blobs: BlobStore } & StartTaskDeps) {
  return async (app: HttpApp) => {
    app.get(
      '/api/artifacts/*',
      { schema: { tags: ['automation'], params: ArtifactParams } },
      async (request, reply) => {
        const artifact = await openArtifact(res.db, res.blobs, contextOf(request).actor, request.params['*']);
        const safeName = artifact.fileName.replace(/[^\w.-]/g, '_');
        // Screenshots show inline (the UI embeds them); HARs and traces download.
        const disposition = artifact.contentType.startsWith('image/') ? 'inline' : 'attachment';
        return reply
          .headers({
            'content-type': artifact.contentType,
            'content-length': String(artifact.size),
            'content-disposition': `${disposition}; filename="${safeName}"`,
            'cache-control': 'private, max-age=3600',
          })
          .send(artifact.stream);
      },
    );
    app.post(
      '/api/projects/:slug/automation/tasks',
      {
        // Agents may drive their own previews; protected secrets stay out of their reach.
        config: { projectRole: 'developer', delegated: true },
        schema: {
          tags: ['automation'],
          description:
            "Runs a browser automation task on one of the project's environments: steps (goto, click, fill, select, press, expect, extract, screenshot, act, observe) or a goal the planner works toward. %name% in values is filled in from variables or the project's secrets at the last moment. Follow the operation for each step and its screenshot.",
          params: SlugParam,
          body: AutomationTaskBody,
          response: { 202: TaskStarted },
        },
      },
      async (request, reply) => {
        const started = await startAutomationTask(res, contextOf(request), request.params.slug, request.body);
        return reply
          .status(202)
          .send({ ...started, eventsUrl: `/api/operations/${started.operationId}/events` });
      },
    );
  };
}
