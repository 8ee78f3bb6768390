import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../../platform/context.ts';
import { toProblem } from '../../../platform/http/problem.ts';
import {
  type ProjectAccessCheck,
  projectRoleNeeded,
  type RouteAuth,
  requireRouteAccess,
} from '../../../platform/http/route-auth.ts';
import type { Logger } from '../../../platform/log.ts';

/** MCP's "resource not found" (the spec's -32002). */
export const RESOURCE_NOT_FOUND = -32002;

/**
 * A JSON-RPC error a resource read answers with. Not the SDK's McpError: that one prefixes its own
 * message ("MCP error -32002: …"), and the client prefixes it again.
 */
export class ResourceReadError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface ResourceGateDeps {
  logger: Logger;
  projectAccess: ProjectAccessCheck;
}

/** The HTTP route whose gate a resource read passes, as a tool names its route. */
export interface ResourceRoute {
  method: 'GET';
  url: string;
  config?: RouteAuth;
}

/**
 * Reads a resource behind the gate of the HTTP read it mirrors — route access (scope, agent
 * tokens), then the caller's role in the project `slug` names — and turns what goes wrong into a
 * JSON-RPC error. Missing, hidden and forbidden are one answer: a caller learns nothing of a
 * resource it may not read, not even that it exists.
 */
export async function readBehindGate<T>(
  deps: ResourceGateDeps,
  request: FastifyRequest,
  ctx: RequestContext,
  target: { uri: URL; route: ResourceRoute; slug?: string },
  read: () => Promise<T>,
): Promise<T> {
  try {
    const { method, url, config = {} } = target.route;
    requireRouteAccess(ctx.actor, config, method, url);
    if (target.slug !== undefined)
      await deps.projectAccess(ctx.actor, target.slug, projectRoleNeeded(config, method));
    return await read();
  } catch (error) {
    const problem = toProblem(error, request);
    if (problem.status === 401 || problem.status === 403 || problem.status === 404)
      throw new ResourceReadError(RESOURCE_NOT_FOUND, `No resource ${target.uri.href} that you may read.`, {
        uri: target.uri.href,
      });
    if (problem.status < 500) throw new ResourceReadError(ErrorCode.InvalidParams, problem.detail);
    deps.logger.error({ err: error, uri: target.uri.href, reqId: request.id }, 'mcp: a resource read failed');
    throw new ResourceReadError(
      ErrorCode.InternalError,
      `Orchard could not read ${target.uri.href}; try again.`,
    );
  }
}

/** One variable of a matched URI template (a `{x}` is one string; anything else is malformed). */
export function variable(value: string | string[] | undefined): string {
  if (typeof value !== 'string') return '';
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
