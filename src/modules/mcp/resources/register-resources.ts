import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../../platform/context.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { registerBlueprintResources } from './blueprint-resources.ts';
import { registerOperationLogResource } from './operation-log-resource.ts';
import type { ResourceGateDeps } from './resource-gate.ts';

/**
 * Orchard's MCP resources for one request's caller: projects' Blueprints and specs, operations'
 * logs. Each read passes the gate of the HTTP read it mirrors.
 */
export function registerResources(
  server: McpServer,
  deps: ResourceGateDeps & { db: Queryable },
  request: FastifyRequest,
  ctx: RequestContext,
) {
  registerBlueprintResources(server, deps, request, ctx);
  registerOperationLogResource(server, deps, request, ctx);
}
