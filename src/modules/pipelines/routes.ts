import path from 'node:path';
import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import { normalizeRepoPath } from '../git/index.ts';
import { roleAtLeast } from '../projects/index.ts';
import type { PipelineDeps } from './deps.ts';
import { listArtifacts } from './list-artifacts.ts';
import { listPipelines } from './list-pipelines.ts';
import { requirePipeline, rerunPipeline } from './manage-pipelines.ts';
import { getPipeline, readJobLog, startPipeline, stopPipeline } from './pipeline-views.ts';
import { createSchedule } from './schedules/create-schedule.ts';
import { deleteSchedule } from './schedules/delete-schedule.ts';
import { listSchedules } from './schedules/list-schedules.ts';
import {
  ArtifactParams,
  ArtifactView,
  CreateScheduleBody,
  JobParams,
  ListPipelinesQuery,
  LogQuery,
  LogView,
  PipelineParams,
  PipelineView,
  RunPipelineBody,
  ScheduleParams,
  ScheduleView,
  SlugParam,
} from './schemas.ts';
import { listArtifactRows, listJobs } from './store.ts';
import { artifactReaderRole, toPipelineView } from './views.ts';

const tags = ['pipelines'];

/** Pipelines, their jobs, logs and artifacts, and schedules under /api/projects/:slug. */
export function pipelineRoutes(res: PipelineDeps) {
  const { db } = res;
  return async (app: HttpApp) => {
    app.get(
      '/api/projects/:slug/pipelines',
      {
        schema: {
          tags,
          params: SlugParam,
          querystring: ListPipelinesQuery,
          response: { 200: z.object({ items: z.array(PipelineView), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => listPipelines(db, contextOf(request).actor, request.params.slug, request.query),
    );
    app.post(
      '/api/projects/:slug/pipelines',
      {
        config: { delegated: true },
        schema: { tags, params: SlugParam, body: RunPipelineBody, response: { 201: PipelineView } },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await startPipeline(res, contextOf(request), request.params.slug, request.body.ref)),
    );
    app.get(
      '/api/projects/:slug/pipelines/:id',
      { schema: { tags, params: PipelineParams, response: { 200: PipelineView } } },
      async (request) => getPipeline(res, contextOf(request), request.params.slug, request.params.id),
    );
    app.post(
      '/api/projects/:slug/pipelines/:id/cancel',
      {
        config: { delegated: true },
        schema: { tags, params: PipelineParams, response: { 200: PipelineView } },
      },
      async (request) => stopPipeline(res, contextOf(request), request.params.slug, request.params.id),
    );
    app.post(
      '/api/projects/:slug/pipelines/:id/rerun',
      {
        config: { delegated: true },
        schema: { tags, params: PipelineParams, response: { 201: PipelineView } },
      },
      async (request, reply) => {
        const pipeline = await rerunPipeline(res, contextOf(request), request.params.slug, request.params.id);
        return reply.status(201).send(toPipelineView(pipeline, await listJobs(db, pipeline.id)));
      },
    );
    app.get(
      '/api/projects/:slug/pipelines/:id/jobs/:job/log',
      { schema: { tags, params: JobParams, querystring: LogQuery, response: { 200: LogView } } },
      async (request) =>
        readJobLog(res, contextOf(request), { ...request.params, after: request.query.after }),
    );
    app.get(
      '/api/projects/:slug/pipelines/:id/artifacts',
      {
        schema: {
          tags,
          params: PipelineParams,
          response: { 200: z.object({ items: z.array(ArtifactView), nextCursor: z.null() }) },
        },
      },
      async (request) => listArtifacts(res, contextOf(request), request.params.slug, request.params.id),
    );
    app.get(
      '/api/projects/:slug/pipelines/:id/jobs/:job/artifacts/*',
      { schema: { tags, params: ArtifactParams } },
      async (request, reply) => {
        const { pipeline, role } = await requirePipeline(
          res,
          contextOf(request),
          request.params.slug,
          request.params.id,
          'viewer',
        );
        const file = normalizeRepoPath(request.params['*']);
        const artifact = (await listArtifactRows(db, pipeline.id)).find(
          (a) => a.job_name === request.params.job && a.path === file,
        );
        if (artifact && !roleAtLeast(role, artifactReaderRole(artifact)))
          throw new ForbiddenError(
            `Artifacts of job "${artifact.job_name}" may contain the secrets it was given (${artifact.secrets_given.join(', ')}); only maintainers and owners may download them, and you are ${role}.`,
          );
        const blob = artifact && (await res.blobs.get(artifact.blob_key));
        if (!blob) throw new NotFoundError(`No artifact "${file}" from job "${request.params.job}".`);
        return reply
          .headers({
            'content-type': 'application/octet-stream',
            'content-length': String(blob.size),
            'content-disposition': `attachment; filename="${path.basename(file).replace(/[^\w.-]/g, '_')}"`,
          })
          .send(blob.stream);
      },
    );

    app.get(
      '/api/projects/:slug/pipeline-schedules',
      {
        schema: {
          tags,
          params: SlugParam,
          response: { 200: z.object({ items: z.array(ScheduleView), nextCursor: z.null() }) },
        },
      },
      async (request) => listSchedules(db, contextOf(request).actor, request.params.slug),
    );
    app.post(
      '/api/projects/:slug/pipeline-schedules',
      {
        config: { projectRole: 'maintainer' },
        schema: { tags, params: SlugParam, body: CreateScheduleBody, response: { 201: ScheduleView } },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await createSchedule(res, contextOf(request), request.params.slug, request.body)),
    );
    app.delete(
      '/api/projects/:slug/pipeline-schedules/:scheduleId',
      { config: { projectRole: 'maintainer' }, schema: { tags, params: ScheduleParams } },
      async (request, reply) => {
        await deleteSchedule(res, contextOf(request), request.params.slug, request.params.scheduleId);
        return reply.status(204).send();
      },
    );
  };
}
