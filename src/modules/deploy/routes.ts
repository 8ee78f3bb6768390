import { ConflictError } from '../../platform/errors.ts';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import { createSseHub, wantsEventStream } from '../../platform/http/sse.ts';
import type { Resources } from '../../platform/resources.ts';
import type { Registry } from '../operations/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import { requireEnvRole } from './access.ts';
import { parseEnvName } from './env-name.ts';
import {
  deployToEnvironment,
  listProjectEnvironments,
  publishToProduction,
  rollBack,
} from './environment-actions.ts';
import { findEnvironmentByParam } from './find-environment.ts';
import { environmentViews } from './list-environments.ts';
import { listReleases } from './list-releases.ts';
import { pinEnvironment } from './pin-environment.ts';
import { removeEnvironment } from './remove-environment.ts';
import {
  DeployAccepted,
  DeployBody,
  EnvironmentList,
  EnvironmentView,
  EnvParams,
  LogList,
  LogsQuery,
  PinBody,
  PublishResult,
  ReleaseList,
  ReleaseRefBody,
  SlugParam,
} from './schemas.ts';
import { followLogs } from './serve/read-logs.ts';
import type { DeployRuntime } from './serve/runtime.ts';
import { tailAppLogs } from './tail-app-logs.ts';

const tags = ['deploy'];

export type DeployRouteDeps = Resources & { deploy: DeployRuntime; registry: Registry };

export function deployRoutes(res: DeployRouteDeps) {
  const { db, deploy } = res;
  const deps = deploy.deps;
  const one = async (env: Parameters<typeof environmentViews>[2][number]) =>
    (await environmentViews(db, deploy.urls, [env]))[0]!;

  return async (app: HttpApp) => {
    const sse = createSseHub(app);

    app.get(
      '/api/projects/:slug/environments',
      { schema: { tags, params: SlugParam, response: { 200: EnvironmentList } } },
      async (request) => listProjectEnvironments(res, contextOf(request), request.params.slug),
    );

    app.get(
      '/api/projects/:slug/environments/:env',
      { schema: { tags, params: EnvParams, response: { 200: EnvironmentView } } },
      async (request) => {
        const { project } = await requireProjectRole(
          db,
          contextOf(request).actor,
          request.params.slug,
          'viewer',
        );
        return one(await findEnvironmentByParam(db, project.id, request.params.env));
      },
    );

    app.get(
      '/api/projects/:slug/environments/:env/logs',
      {
        schema: {
          tags,
          params: EnvParams,
          querystring: LogsQuery,
          response: { 200: LogList },
          description:
            'The tail of the app log; with `Accept: text/event-stream`, the tail then live lines (`event: log`).',
        },
      },
      async (request, reply) => {
        const { slug } = request.params;
        const {
          project,
          environment: env,
          lines,
          fileOffset,
        } = await tailAppLogs(
          { db, home: res.config.home, supervisor: deploy.supervisor },
          contextOf(request).actor,
          { slug, env: request.params.env, tail: request.query.tail },
        );
        if (!wantsEventStream(request)) return { items: lines };
        const stream = sse.open(request, reply, {
          projectId: project.id,
          check: (actor) => requireProjectRole(db, actor, slug, 'viewer'),
        });
        for (const line of lines) stream.send({ event: 'log', data: JSON.stringify(line) });
        const stop = followLogs(deploy.supervisor, res.config.home, env, fileOffset, (line) =>
          stream.send({ event: 'log', data: JSON.stringify(line) }),
        );
        stream.signal.addEventListener('abort', stop, { once: true });
        return reply;
      },
    );

    app.post(
      '/api/projects/:slug/deploy',
      {
        // Agents too, to the preview of their own branch only (agent-deploy-rule.ts).
        config: { projectRole: 'developer', delegated: true },
        schema: { tags, params: SlugParam, body: DeployBody, response: { 202: DeployAccepted } },
      },
      async (request, reply) =>
        reply.status(202).send(
          await deployToEnvironment(res, contextOf(request), {
            slug: request.params.slug,
            ...request.body,
          }),
        ),
    );

    app.post(
      '/api/projects/:slug/publish',
      {
        config: { projectRole: 'maintainer' },
        schema: {
          tags,
          params: SlugParam,
          body: ReleaseRefBody.default({}),
          response: { 200: PublishResult },
        },
      },
      async (request) =>
        publishToProduction(res, contextOf(request), {
          slug: request.params.slug,
          release: request.body.release,
        }),
    );

    app.post(
      '/api/projects/:slug/environments/:env/rollback',
      {
        config: { projectRole: 'developer' },
        schema: {
          tags,
          params: EnvParams,
          body: ReleaseRefBody.default({}),
          response: { 200: PublishResult },
        },
      },
      async (request) =>
        rollBack(res, contextOf(request), {
          slug: request.params.slug,
          env: request.params.env,
          release: request.body.release,
        }),
    );

    app.post(
      '/api/projects/:slug/environments/:env/pin',
      {
        config: { projectRole: 'developer' },
        schema: { tags, params: EnvParams, body: PinBody, response: { 200: EnvironmentView } },
      },
      async (request) =>
        one(
          await pinEnvironment(deps, contextOf(request), {
            slug: request.params.slug,
            env: request.params.env,
            pinned: request.body.pinned,
          }),
        ),
    );

    app.delete(
      '/api/projects/:slug/environments/:env',
      { config: { projectRole: 'developer' }, schema: { tags, params: EnvParams } },
      async (request, reply) => {
        const ctx = contextOf(request);
        const name = parseEnvName(request.params.env);
        const { project } = await requireEnvRole(db, ctx.actor, request.params.slug, name);
        const env = await findEnvironmentByParam(db, project.id, request.params.env);
        if (env.kind !== 'preview') {
          throw new ConflictError(`Only previews can be removed; ${env.name} stays (roll it back instead).`);
        }
        await removeEnvironment(deps, ctx, env, 'removed by hand');
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/projects/:slug/releases',
      { schema: { tags, params: SlugParam, response: { 200: ReleaseList } } },
      async (request) => listReleases(db, contextOf(request).actor, request.params.slug),
    );
  };
}
