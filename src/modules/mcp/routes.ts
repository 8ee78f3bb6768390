import { Readable } from 'node:stream';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events/index.ts';
import { contextOf } from '../../platform/http/request-context.ts';
import type { ProjectAccessCheck } from '../../platform/http/route-auth.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import type { Resources } from '../../platform/resources.ts';
import { answerDirectly } from './direct-call.ts';
import { InFlightCalls } from './in-flight-calls.ts';
import { JsonExchange, readExchange } from './json-exchange.ts';
import { cancelledRequestIds, rpcRequests } from './json-rpc.ts';
import { mcpServerFor } from './mcp-server.ts';
import type { McpTool } from './mcp-tool.ts';

export const MCP_PATH = '/mcp';
const METADATA_PATH = '/.well-known/oauth-protected-resource';

/** The request's headers as a Web request (the transport reads headers; the body is already parsed). */
function webRequestOf(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  return new Request(`http://${request.host || 'localhost'}${request.url}`, { method: 'POST', headers });
}

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
export function mcpRoutes(
  res: Resources & { projectAccess: ProjectAccessCheck; bus?: EventBus },
  tools: readonly McpTool[],
) {
  // Tools that report progress answer as an event stream; every other call as plain JSON.
  const long = new Set(tools.filter((t) => t.progress).map((t) => t.name));
  const byName = new Map(tools.map((t) => [t.name, t]));
  const callsLongTool = (body: unknown) =>
    rpcRequests(body).some((m) => m.method === 'tools/call' && long.has(String(m.params?.name)));
  return async (app: HttpApp) => {
    const calls = new InFlightCalls(res.db, res.bus);
    app.addHook('onClose', async () => calls.close());
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
        // The client gave up on a long call (its own POST, so it may reach another process).
        for (const id of cancelledRequestIds(request.body))
          await calls.cancel(InFlightCalls.key(ctx.actor, id));
        const deps = { db: res.db, logger: res.logger, projectAccess: res.projectAccess, calls };
        const direct = await answerDirectly(deps, byName, request, ctx);
        if (direct) return reply.type('application/json').send(direct);
        const server = await mcpServerFor(deps, tools, request, ctx);
        // A plain JSON answer unless a long tool is called (its progress needs the event stream):
        // it is the cheaper of the two for the client and the server alike, and is exchanged
        // in memory rather than through Web Request and Response objects.
        if (!callsLongTool(request.body)) {
          const read = readExchange(request.headers, request.body);
          if ('status' in read) return reply.status(read.status).type('application/json').send(read.body);
          const exchange = new JsonExchange();
          await server.connect(exchange);
          // Every request is answered by then and nothing else is pending, so the server is left to
          // the garbage collector: closing it builds a "connection closed" error (and its stack)
          // for requests that are not there, a tenth of the MCP handling's cost.
          const answers = await exchange.exchange(read.messages, {
            requestInfo: { headers: request.headers },
          });
          if (!answers.length) return reply.status(202).send();
          // As the SDK's transport answers: one response alone, several as an array.
          return reply.type('application/json').send(answers.length === 1 ? answers[0] : answers);
        }
        const transport = new WebStandardStreamableHTTPServerTransport({
          sessionIdGenerator: undefined,
          enableJsonResponse: false,
        });
        const close = () => {
          void transport.close();
          void server.close();
        };
        await server.connect(transport);
        // The body is parsed already: the transport gets a Web request of the headers only, which
        // costs far less than converting Node's request and response as a whole.
        const response = await transport.handleRequest(webRequestOf(request), { parsedBody: request.body });
        reply.status(response.status);
        response.headers.forEach((value, name) => {
          reply.header(name, value);
        });
        if (!response.body) {
          close();
          return reply.send();
        }
        if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
          // A refusal (bad headers or messages) before any stream was opened.
          const text = await response.text();
          close();
          return reply.send(text);
        }
        const stream = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
        stream.once('close', close);
        reply.raw.once('close', close);
        return reply.send(stream);
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
