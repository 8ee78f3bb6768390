import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../../platform/errors.ts';
import { contextOf } from '../../platform/http/request-context.ts';
import type { ProjectAccessCheck } from '../../platform/http/route-auth.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import type { Resources } from '../../platform/resources.ts';
import { rpcRequests } from './json-rpc.ts';
import { mcpServerFor } from './mcp-server.ts';
import type { McpTool } from './mcp-tool.ts';

export const MCP_PATH = '/mcp';
const METADATA_PATH = '/.well-known/oauth-protected-resource';

/** Where this Orchard is reached: the configured public URL, else the request's own origin. */
function originOf(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return new URL(publicUrl).origin;
  return `${request.protocol}://${request.host}`;
}

/**
 * MCP over Streamable HTTP at `/mcp`, stateless: each POST gets a server for its caller (so any
 * Orchard process behind a load balancer answers any request), tool calls stream their progress in
 * the response. Authentication is an Orchard API token (`Authorization: Bearer orch_…`), never a
 * browser session cookie; without one the 401 points at the protected-resource metadata (RFC 9728)
 * as the MCP authorization spec asks.
 */
export function mcpRoutes(res: Resources & { projectAccess: ProjectAccessCheck }, tools: readonly McpTool[]) {
  // Tools that report progress answer as an event stream; every other call as plain JSON.
  const long = new Set(tools.filter((t) => t.progress).map((t) => t.name));
  const callsLongTool = (body: unknown) =>
    rpcRequests(body).some((m) => m.method === 'tools/call' && long.has(String(m.params?.name)));
  return async (app: HttpApp) => {
    app.addHook('onSend', async (request, reply) => {
      if (request.routeOptions.url === MCP_PATH && reply.statusCode === 401)
        reply.header(
          'www-authenticate',
          `Bearer resource_metadata="${originOf(request, res.config.publicUrl)}${METADATA_PATH}"`,
        );
    });

    for (const path of [METADATA_PATH, `${METADATA_PATH}${MCP_PATH}`])
      app.get(path, { config: { auth: 'public' }, schema: { hide: true } }, async (request) => {
        const origin = originOf(request, res.config.publicUrl);
        return {
          resource: `${origin}${MCP_PATH}`,
          resource_name: 'Orchard',
          bearer_methods_supported: ['header'],
          // Tokens are made in Orchard itself (Settings → API tokens, or POST /api/tokens).
          authorization_servers: [],
          scopes_supported: ['read', 'write', 'admin'],
          resource_documentation: `${origin}/api/docs`,
        };
      });

    app.post(
      MCP_PATH,
      // Tools check their own routes' scopes: a read-only token may list and read.
      { config: { scope: 'read', delegated: true }, schema: { hide: true } },
      async (request, reply) => {
        if (!/^bearer /i.test(request.headers.authorization ?? ''))
          throw new UnauthorizedError('MCP needs an API token: send Authorization: Bearer orch_….');
        const ctx = contextOf(request);
        const server = await mcpServerFor(
          { db: res.db, logger: res.logger, projectAccess: res.projectAccess },
          tools,
          request,
          ctx,
        );
        // A plain JSON answer unless a long tool is called (its progress needs the event stream):
        // it is the cheaper of the two for the client and the server alike.
        const transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: undefined,
          enableJsonResponse: !callsLongTool(request.body),
        });
        reply.hijack();
        reply.raw.on('close', () => {
          void transport.close();
          void server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(request.raw, reply.raw, request.body);
      },
    );

    // Stateless: no stream of server-initiated messages to open, no session to end.
    for (const method of ['GET', 'DELETE'] as const)
      app.route({
        method,
        url: MCP_PATH,
        config: { scope: 'read', delegated: true },
        schema: { hide: true },
        handler: async (_request, reply) =>
          reply
            .status(405)
            .header('allow', 'POST')
            .send({
              jsonrpc: '2.0',
              error: {
                code: -32000,
                message: 'Method not allowed: this MCP server is stateless; POST to /mcp.',
              },
              id: null,
            }),
      });
  };
}
