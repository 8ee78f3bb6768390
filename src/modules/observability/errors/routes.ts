import { RateLimiter } from '../../../platform/http/rate-limit.ts';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import { EnvironmentParams } from '../environment-params.ts';
import type { ErrorDeps } from './error-deps.ts';
import { getEnvironmentErrorGroup, getInstanceErrorGroup } from './get-error-group.ts';
import { listEnvironmentErrorGroups, listInstanceErrorGroups } from './list-error-groups.ts';
import { recordBrowserError } from './record-browser-error.ts';
import {
  BrowserErrorAccepted,
  BrowserErrorBody,
  EnvErrorGroupParams,
  ErrorGroupDetail,
  ErrorGroupIdParams,
  ErrorGroupList,
  ErrorGroupsQuery,
  ErrorGroupView,
  ErrorStatusBody,
} from './schemas.ts';
import { setEnvironmentErrorStatus, setInstanceErrorStatus } from './set-error-status.ts';

const tags = ['errors'];
/** A browser report is a message and a stack or two: anything larger is not one. */
const BROWSER_BODY_LIMIT = 32 * 1024;
/** Reports one signed-in person's browser may send a minute. */
const BROWSER_REPORTS_PER_MINUTE = 30;

/** Error groups of environments (project members) and of Orchard itself (admins), and the UI's reports. */
export function errorRoutes(errors: ErrorDeps, options: { browserPerMinute?: number } = {}) {
  const deps = {
    ...errors,
    browserLimiter: new RateLimiter(options.browserPerMinute ?? BROWSER_REPORTS_PER_MINUTE, errors.clock),
  };
  const { db } = deps;
  return async (app: HttpApp) => {
    app.get(
      '/api/projects/:slug/environments/:env/errors',
      {
        schema: {
          tags,
          params: EnvironmentParams,
          querystring: ErrorGroupsQuery,
          response: { 200: ErrorGroupList },
        },
      },
      async (request) => listEnvironmentErrorGroups(db, contextOf(request), request.params, request.query),
    );
    app.get(
      '/api/projects/:slug/environments/:env/errors/:id',
      { schema: { tags, params: EnvErrorGroupParams, response: { 200: ErrorGroupDetail } } },
      async (request) => getEnvironmentErrorGroup(db, contextOf(request), request.params),
    );
    app.post(
      '/api/projects/:slug/environments/:env/errors/:id/status',
      {
        schema: {
          tags,
          params: EnvErrorGroupParams,
          body: ErrorStatusBody,
          response: { 200: ErrorGroupView },
          description:
            'Resolve, ignore or reopen a group (developers and above). A resolved group seen again reopens.',
        },
      },
      async (request) =>
        setEnvironmentErrorStatus(deps, contextOf(request), request.params, request.body.status),
    );

    app.get(
      '/api/admin/errors',
      {
        config: { adminOnly: true },
        schema: { tags, querystring: ErrorGroupsQuery, response: { 200: ErrorGroupList } },
      },
      async (request) => listInstanceErrorGroups(db, contextOf(request), request.query),
    );
    app.get(
      '/api/admin/errors/:id',
      {
        config: { adminOnly: true },
        schema: { tags, params: ErrorGroupIdParams, response: { 200: ErrorGroupDetail } },
      },
      async (request) => getInstanceErrorGroup(db, contextOf(request), request.params.id),
    );
    app.post(
      '/api/admin/errors/:id/status',
      {
        config: { adminOnly: true },
        schema: {
          tags,
          params: ErrorGroupIdParams,
          body: ErrorStatusBody,
          response: { 200: ErrorGroupView },
        },
      },
      async (request) =>
        setInstanceErrorStatus(deps, contextOf(request), request.params.id, request.body.status),
    );

    app.post(
      '/api/errors/browser',
      {
        bodyLimit: BROWSER_BODY_LIMIT,
        schema: {
          tags,
          body: BrowserErrorBody,
          response: { 202: BrowserErrorAccepted },
          description: "An error in Orchard's own UI, reported by the signed-in person's browser.",
        },
      },
      async (request, reply) => {
        const accepted = await recordBrowserError(deps, contextOf(request), {
          ...request.body,
          userAgent: request.headers['user-agent'],
        });
        return reply.status(202).send(accepted);
      },
    );
  };
}
