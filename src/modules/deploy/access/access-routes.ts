import { z } from 'zod';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import { environmentViews } from '../list-environments.ts';
import type { DeployRouteDeps } from '../routes.ts';
import { EnvironmentView, EnvParams } from '../schemas.ts';
import {
  createShareLink,
  listEnvironmentShareLinks,
  revokeEnvironmentShareLink,
  setAccessMode,
} from './environment-access.ts';
import { grantAppAccess } from './grant-app-access.ts';

const tags = ['deploy'];

const AccessBody = z.object({ access: z.enum(['private', 'public']) });
const ShareLinkBody = z.object({
  /** How long the link works: an hour to 30 days (default a day). */
  expiresInHours: z.number().int().min(1).max(720).default(24),
  /** Who it is for, shown in the list. */
  note: z.string().trim().max(200).default(''),
});
const ShareLinkView = z.object({
  id: z.string(),
  note: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  active: z.boolean(),
});
const CreatedShareLink = ShareLinkView.extend({
  /** Shown once: the address that lets anyone in until the link expires. */
  url: z.string(),
});
const ShareLinkParams = EnvParams.extend({ id: z.uuid({ error: 'must be a share link id (a UUID)' }) });
const AppAccessQuery = z.object({
  to: z.string({ error: 'to is required: the address of the environment page to open' }).min(1).max(4000),
});

/**
 * Private environments: the access mode, share links, and `GET /api/app-access?to=…`, where a
 * private environment sends a browser to come back with a one-time token (see app-access-gate.ts).
 */
export function environmentAccessRoutes(res: DeployRouteDeps) {
  const { deploy } = res;
  const deps = { ...deploy.deps, urls: deploy.urls };
  return async (app: HttpApp) => {
    app.get('/api/app-access', { schema: { tags, querystring: AppAccessQuery } }, async (request, reply) => {
      const { location } = await grantAppAccess(deps, contextOf(request), request.query.to);
      return reply.header('cache-control', 'no-store').redirect(location, 302);
    });

    app.put(
      '/api/projects/:slug/environments/:env/access',
      {
        config: { projectRole: 'maintainer' },
        schema: { tags, params: EnvParams, body: AccessBody, response: { 200: EnvironmentView } },
      },
      async (request) => {
        const env = await setAccessMode(deps, contextOf(request), request.params, request.body.access);
        return (await environmentViews(deps.db, deploy.urls, [env]))[0]!;
      },
    );

    app.get(
      '/api/projects/:slug/environments/:env/share-links',
      {
        config: { projectRole: 'developer' },
        schema: {
          tags,
          params: EnvParams,
          response: { 200: z.object({ items: z.array(ShareLinkView) }) },
        },
      },
      async (request) => listEnvironmentShareLinks(deps, contextOf(request), request.params),
    );

    app.post(
      '/api/projects/:slug/environments/:env/share-links',
      {
        config: { projectRole: 'developer' },
        schema: { tags, params: EnvParams, body: ShareLinkBody, response: { 201: CreatedShareLink } },
      },
      async (request, reply) =>
        reply.status(201).send(await createShareLink(deps, contextOf(request), request.params, request.body)),
    );

    app.delete(
      '/api/projects/:slug/environments/:env/share-links/:id',
      { config: { projectRole: 'developer' }, schema: { tags, params: ShareLinkParams } },
      async (request, reply) => {
        await revokeEnvironmentShareLink(deps, contextOf(request), request.params, request.params.id);
        return reply.status(204).send();
      },
    );
  };
}
