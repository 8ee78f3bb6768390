import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { RequestContext } from '../../platform/context.ts';
import type { RouteAuth } from '../../platform/http/route-auth.ts';

/** The tool sets an MCP client can be offered (DESIGN §5.8, issue "Orchard as an MCP server"). */
export type ToolSet = 'core' | 'issues' | 'pipeline' | 'deploy' | 'verify' | 'observe' | 'agents' | 'admin';

/**
 * One MCP tool: a thin wrapper over the use case an HTTP route calls, behind that route's own gate.
 * `route` names the route whose access rules apply (method, pattern, config): the same scope,
 * project role, admin and agent-token checks run before `run`, and decide whether `tools/list`
 * shows the tool at all.
 */
export interface McpTool<S extends z.ZodObject = z.ZodObject> {
  name: string;
  set: ToolSet;
  title: string;
  description: string;
  input: S;
  route: { method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string; config?: RouteAuth };
  /**
   * For a route outside /api/projects/:slug whose use case checks a project role itself (an
   * operation's project): the least role the caller must hold somewhere to be offered the tool.
   */
  minRole?: 'viewer' | 'developer' | 'maintainer' | 'owner';
  /** A long tool: its call answers as an event stream that carries progress notifications. */
  progress?: true;
  /** The project a call acts in (for the project gate), when the route is under /api/projects/:slug. */
  slugOf?(args: z.infer<S>): string;
  run(ctx: RequestContext, args: z.infer<S>, call: ToolCall): Promise<unknown>;
}

/** What a running call can do besides returning: notice cancellation, report progress. */
export interface ToolCall {
  /** Aborts when the answer can no longer be delivered (the client went away, or cancelled). */
  signal: AbortSignal;
  /**
   * Aborts when the client cancels the call (`notifications/cancelled`): what the call started
   * should stop too. A client that merely disconnects has not cancelled anything.
   */
  cancelled: AbortSignal;
  /** A progress notification, when the client asked for them (a progress token); else nothing. */
  progress(message: string): Promise<void>;
}

/** A result given as MCP content blocks (text and images) rather than one JSON text. */
export class ToolContent {
  constructor(readonly content: ContentBlock[]) {}
}

export function defineTool<S extends z.ZodObject>(tool: McpTool<S>): McpTool {
  return tool as unknown as McpTool;
}
