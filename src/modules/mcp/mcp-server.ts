import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { toProblem } from '../../platform/http/problem.ts';
import {
  type ProjectAccessCheck,
  type ProjectRoleName,
  projectRoleNeeded,
  requireRouteAccess,
} from '../../platform/http/route-auth.ts';
import type { Logger } from '../../platform/log.ts';
import { orchardVersion } from '../../platform/orchard-version.ts';
import { DELEGATED_MAX_ROLE, highestMemberRole, roleAtLeast } from '../projects/index.ts';
import { InFlightCalls } from './in-flight-calls.ts';
import { rpcRequests } from './json-rpc.ts';
import { type McpTool, type ToolCall, ToolContent } from './mcp-tool.ts';
import { registerResources } from './resources/register-resources.ts';

type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export const MCP_SERVER_INFO = { name: 'orchard', version: orchardVersion() };

/**
 * One JSON Schema validator for every per-request server: each would otherwise build its own Ajv,
 * which costs ten times what the rest of a server's setup does (0.46 ms against 0.05 ms).
 */
const VALIDATOR = new AjvJsonSchemaValidator();

const INSTRUCTIONS =
  'Orchard builds apps from a description: projects hold Blueprints, a git repository, issues, merge requests, pipelines and environments. Tools act as the token you connected with, within its scopes and your role in each project.';

/**
 * The most a caller may do in any project: a tool whose route needs more is not offered at all
 * (so a viewer's `tools/list` has no mutations). Calls are still checked project by project.
 */
async function ceiling(db: Db, actor: Actor): Promise<ProjectRoleName | undefined> {
  if (actor.delegation) return DELEGATED_MAX_ROLE;
  if (actor.role === 'admin') return 'owner';
  return highestMemberRole(db, actor.userId);
}

/** Whether the tool's route would let this actor in somewhere: its scope, admin and agent rules. */
export function offered(tool: McpTool, actor: Actor, most: ProjectRoleName | undefined): boolean {
  const { method, url, config = {} } = tool.route;
  try {
    requireRouteAccess(actor, config, method, url);
  } catch {
    return false;
  }
  const needed = url.startsWith('/api/projects/:slug') ? projectRoleNeeded(config, method) : tool.minRole;
  if (!needed) return true;
  return most !== undefined && roleAtLeast(most, needed);
}

/** A signal that never aborts. */
export const NEVER = new AbortController().signal;

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * An MCP server for one request's caller, offering the tools their token and roles allow. Each
 * call passes the same gate as the HTTP route it wraps — route access (scope, admin, agent
 * tokens), then the project gate — before the use case; what goes wrong is a tool error whose
 * text is the problem's detail, followed by the problem document.
 */
export async function mcpServerFor(
  deps: { db: Db; logger: Logger; projectAccess: ProjectAccessCheck; calls: InFlightCalls },
  tools: readonly McpTool[],
  request: FastifyRequest,
  ctx: RequestContext,
): Promise<McpServer> {
  const server = new McpServer(MCP_SERVER_INFO, {
    instructions: INSTRUCTIONS,
    jsonSchemaValidator: VALIDATOR,
    // Declared up front: an `initialize` POST registers no tools or resources, yet the server has them.
    capabilities: { tools: { listChanged: false }, resources: { listChanged: false } },
  });
  // Listing needs the caller's highest project role (one query); a call is checked by its project.
  const messages = rpcRequests(request.body);
  const lists = messages.some((m) => m.method === 'tools/list');
  const most = lists ? await ceiling(deps.db, ctx.actor) : 'owner';
  // A server lives for one POST: it needs only the tools that POST lists or calls (registering
  // all of them costs more than the call itself).
  const called = new Set(
    messages.filter((m) => m.method === 'tools/call').map((m) => String(m.params?.name)),
  );
  for (const tool of tools) {
    if (!lists && !called.has(tool.name)) continue;
    if (!offered(tool, ctx.actor, most)) continue;
    const { method } = tool.route;
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        annotations: {
          title: tool.title,
          readOnlyHint: method === 'GET',
          destructiveHint: method === 'DELETE',
          openWorldHint: false,
        },
      },
      (args: Record<string, unknown>, extra) => callTool(deps, tool, request, ctx, args, extra),
    );
  }
  if (messages.some((m) => typeof m.method === 'string' && m.method.startsWith('resources/')))
    registerResources(server, deps, request, ctx);
  return server;
}

/** What a tool call gets from the SDK's dispatch (or from a direct call, see direct-call.ts). */
export type ToolCallExtra = Pick<ToolExtra, 'requestId' | 'signal' | '_meta' | 'sendNotification'>;

/**
 * One call of a tool, its arguments already checked against its input schema: the route's gate,
 * then the use case; a failure is a tool error whose text is the problem's detail, followed by the
 * problem document.
 */
export async function callTool(
  deps: { logger: Logger; projectAccess: ProjectAccessCheck; calls: InFlightCalls },
  tool: McpTool,
  request: FastifyRequest,
  ctx: RequestContext,
  args: Record<string, unknown>,
  extra: ToolCallExtra,
): Promise<CallToolResult> {
  const { method, url, config = {} } = tool.route;
  const tracked = tool.progress ? deps.calls.track(InFlightCalls.key(ctx.actor, extra.requestId)) : undefined;
  try {
    requireRouteAccess(ctx.actor, config, method, url);
    if (tool.slugOf)
      await deps.projectAccess(ctx.actor, tool.slugOf(args), projectRoleNeeded(config, method));
    const result = await tool.run(ctx, args, {
      signal: tracked ? AbortSignal.any([extra.signal, tracked.signal]) : extra.signal,
      cancelled: tracked?.signal ?? NEVER,
      progress: progressReporter(extra),
    });
    if (result instanceof ToolContent) return { content: result.content };
    return { content: [{ type: 'text' as const, text: text(result) }] };
  } catch (error) {
    const problem = toProblem(error, request);
    if (problem.status >= 500)
      deps.logger.error({ err: error, tool: tool.name, reqId: request.id }, 'mcp: a tool failed');
    // In the order the SDK's server words a result (it rebuilds it from its schema).
    return {
      content: [
        { type: 'text' as const, text: problem.detail },
        { type: 'text' as const, text: JSON.stringify(problem) },
      ],
      isError: true,
    };
  } finally {
    tracked?.done();
  }
}

/**
 * Progress notifications for a call whose client sent a progress token: each says what happened,
 * with a count that only grows (the steps of an operation have no common total).
 */
function progressReporter(extra: ToolCallExtra): ToolCall['progress'] {
  const token = extra._meta?.progressToken;
  let count = 0;
  return async (message) => {
    if (token === undefined) return;
    count += 1;
    await extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress: count, message },
      })
      .catch(() => undefined);
  };
}
