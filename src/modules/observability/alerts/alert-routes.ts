import { PageQuery } from '../../../platform/http/cursor.ts';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import { EnvironmentParams } from '../environment-params.ts';
import type { AlertDeps } from './alert-deps.ts';
import {
  AlertEventList,
  AlertParams,
  AlertRuleBody,
  AlertRuleList,
  AlertRuleView,
  SilenceBody,
} from './alert-schemas.ts';
import { createAlertRule } from './create-alert-rule.ts';
import { deleteAlertRule } from './delete-alert-rule.ts';
import { listAlertEvents } from './list-alert-events.ts';
import { listAlertRules } from './list-alert-rules.ts';
import { silenceAlertRule } from './silence-alert-rule.ts';
import { updateAlertRule } from './update-alert-rule.ts';

const tags = ['alerts'];

/** Alert rules of the environments' telemetry: viewers read, maintainers change. */
export function alertRoutes(deps: AlertDeps) {
  return async (app: HttpApp) => {
    app.get(
      '/api/projects/:slug/environments/:env/alerts',
      { schema: { tags, params: EnvironmentParams, response: { 200: AlertRuleList } } },
      async (request) => listAlertRules(deps, contextOf(request).actor, request.params),
    );

    app.post(
      '/api/projects/:slug/environments/:env/alerts',
      {
        config: { projectRole: 'maintainer' },
        schema: { tags, params: EnvironmentParams, body: AlertRuleBody, response: { 201: AlertRuleView } },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await createAlertRule(deps, contextOf(request), { ...request.params, rule: request.body })),
    );

    app.put(
      '/api/projects/:slug/alerts/:id',
      {
        config: { projectRole: 'maintainer' },
        schema: { tags, params: AlertParams, body: AlertRuleBody, response: { 200: AlertRuleView } },
      },
      async (request) => updateAlertRule(deps, contextOf(request), { ...request.params, rule: request.body }),
    );

    app.delete(
      '/api/projects/:slug/alerts/:id',
      { config: { projectRole: 'maintainer' }, schema: { tags, params: AlertParams } },
      async (request, reply) => {
        await deleteAlertRule(deps, contextOf(request), request.params);
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/projects/:slug/alerts/:id/silence',
      {
        config: { projectRole: 'maintainer' },
        schema: {
          tags,
          params: AlertParams,
          body: SilenceBody,
          response: { 200: AlertRuleView },
          description:
            'Silence the rule until `until` (at most 30 days ahead), or lift the silence with `null`.',
        },
      },
      async (request) =>
        silenceAlertRule(deps, contextOf(request), { ...request.params, until: request.body.until }),
    );

    app.get(
      '/api/projects/:slug/alerts/:id/events',
      { schema: { tags, params: AlertParams, querystring: PageQuery, response: { 200: AlertEventList } } },
      async (request) =>
        listAlertEvents(deps, contextOf(request).actor, { ...request.params, ...request.query }),
    );
  };
}
