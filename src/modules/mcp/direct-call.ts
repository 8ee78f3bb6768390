import type { JSONRPCResultResponse } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../platform/context.ts';
import { refusedHeaders } from './json-exchange.ts';
import { callTool, NEVER, offered } from './mcp-server.ts';
import type { McpTool } from './mcp-tool.ts';

/** One `tools/call` request, as a POST carries it alone. */
export interface DirectCall {
  id: string | number;
  name: string;
  arguments: Record<string, unknown>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

const only = (value: Record<string, unknown>, keys: readonly string[]) =>
  Object.keys(value).every((key) => keys.includes(key));

/**
 * The call when a POST body is one plain `tools/call` request: a JSON-RPC 2.0 request the SDK's
 * schemas accept, with a tool name and arguments and nothing else (no `_meta`, so no progress
 * token; no task). Anything else — a batch, notifications, other methods, extra fields, a progress
 * token — is undefined and goes through the SDK's server. The checks are stricter than the SDK's
 * (it accepts every body this accepts), so a body answered here would be answered alike there.
 */
export function directToolCall(body: unknown): DirectCall | undefined {
  if (!isPlainObject(body) || body.jsonrpc !== '2.0' || body.method !== 'tools/call') return undefined;
  if (!only(body, ['jsonrpc', 'id', 'method', 'params'])) return undefined;
  const { id, params } = body;
  if (typeof id !== 'string' && !(typeof id === 'number' && Number.isInteger(id))) return undefined;
  if (!isPlainObject(params) || !only(params, ['name', 'arguments'])) return undefined;
  if (typeof params.name !== 'string' || !isPlainObject(params.arguments)) return undefined;
  return { id, name: params.name, arguments: params.arguments };
}

/**
 * The answer to a POST that is one plain call of a short tool the caller is offered, with arguments
 * its schema accepts, as the SDK's server would word it (the same keys in the same order;
 * mcp.test.ts compares the two) but without building a server for it, which is half of what MCP adds
 * to the route's own time. Undefined for every other POST, and for every call that would fail before
 * reaching the tool: those go to the SDK's server.
 */
export async function answerDirectly(
  deps: Parameters<typeof callTool>[0],
  tools: ReadonlyMap<string, McpTool>,
  request: FastifyRequest,
  ctx: RequestContext,
): Promise<JSONRPCResultResponse | undefined> {
  const call = directToolCall(request.body);
  const tool = call && tools.get(call.name);
  if (!call || !tool || tool.progress || refusedHeaders(request.headers)) return undefined;
  if (!offered(tool, ctx.actor, 'owner')) return undefined;
  const args = await tool.input.safeParseAsync(call.arguments);
  if (!args.success) return undefined;
  const result = await callTool(deps, tool, request, ctx, args.data, {
    requestId: call.id,
    signal: NEVER,
    _meta: undefined,
    sendNotification: async () => {},
  });
  return { result, jsonrpc: '2.0', id: call.id };
}
