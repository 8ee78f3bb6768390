import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../../platform/context.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import {
  type CurrentBlueprint,
  findProjectBlueprint,
  getBlueprintSpec,
  listCurrentBlueprints,
  toBlueprintView,
} from '../../studio/index.ts';
import { type ResourceGateDeps, type ResourceRoute, readBehindGate, variable } from './resource-gate.ts';

/** resources/list names the current Blueprints of at most this many projects, most recently changed first. */
export const LISTED_BLUEPRINTS = 50;

// Both read what GET /api/projects/:slug/blueprints lets through: viewers, agents in their project.
const ROUTE: ResourceRoute = { method: 'GET', url: '/api/projects/:slug/blueprints' };

export const blueprintUri = (slug: string) => `orchard://projects/${encodeURIComponent(slug)}/blueprint`;
export const specUri = (slug: string) => `orchard://projects/${encodeURIComponent(slug)}/spec`;

/**
 * `orchard://projects/{slug}/blueprint` (a project's current Blueprint as JSON) and
 * `orchard://projects/{slug}/spec` (the Markdown spec a build of it writes as docs/spec.md).
 */
export function registerBlueprintResources(
  server: McpServer,
  deps: ResourceGateDeps & { db: Queryable },
  request: FastifyRequest,
  ctx: RequestContext,
) {
  // One query for both listings of a resources/list.
  let listed: Promise<CurrentBlueprint[]> | undefined;
  const current = () => {
    listed ??= listCurrentBlueprints(deps.db, ctx.actor, LISTED_BLUEPRINTS);
    return listed;
  };

  server.registerResource(
    'blueprint',
    new ResourceTemplate('orchard://projects/{slug}/blueprint', {
      list: async () => ({
        resources: (await current()).map((b) => ({
          uri: blueprintUri(b.slug),
          name: `${b.slug}/blueprint`,
          title: `Blueprint of ${b.projectName}: ${b.title || 'untitled'} (v${b.version})`,
          mimeType: 'application/json',
        })),
      }),
    }),
    {
      title: "A project's Blueprint",
      description:
        "The project's current Blueprint (its newest one not discarded) as JSON: entities, pages, endpoints, assumptions, version, status and readiness.",
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const slug = variable(variables.slug);
      const view = await readBehindGate(deps, request, ctx, { uri, route: ROUTE, slug }, async () =>
        toBlueprintView((await findProjectBlueprint(deps.db, ctx.actor, slug)).blueprint),
      );
      return {
        contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(view, null, 2) }],
      };
    },
  );

  server.registerResource(
    'spec',
    new ResourceTemplate('orchard://projects/{slug}/spec', {
      list: async () => ({
        resources: (await current()).map((b) => ({
          uri: specUri(b.slug),
          name: `${b.slug}/spec`,
          title: `Spec of ${b.projectName} (Blueprint v${b.version})`,
          mimeType: 'text/markdown',
        })),
      }),
    }),
    {
      title: "A project's spec",
      description:
        "The spec of the project's current Blueprint in Markdown: what a build writes as docs/spec.md and hands to the coding agent.",
      mimeType: 'text/markdown',
    },
    async (uri, variables) => {
      const slug = variable(variables.slug);
      const spec = await readBehindGate(deps, request, ctx, { uri, route: ROUTE, slug }, () =>
        getBlueprintSpec(deps.db, ctx.actor, slug),
      );
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: spec.markdown }] };
    },
  );
}
