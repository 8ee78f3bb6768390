import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { Command } from 'commander';
import { orchardVersion } from '../platform/orchard-version.ts';
import { addClientOptions, clientFor } from './orchard-client.ts';
import { CliError } from './run.ts';

const LONG_CALL_MS = 11 * 60_000;

/**
 * `orchard mcp`: Orchard's MCP tools for local clients that start a command (Claude Code, Cursor,
 * VS Code, Codex, Gemini CLI), over stdio. It relays to the `/mcp` endpoint of a running Orchard
 * with the token given (`--token` or ORCHARD_TOKEN), so a tool does exactly what it does over HTTP,
 * progress included. Nothing but MCP messages is written to stdout.
 */
export function registerMcp(program: Command) {
  addClientOptions(
    program
      .command('mcp')
      .description(
        "serve Orchard's MCP tools over stdio, relayed to a running Orchard's /mcp with your token",
      ),
  ).action(async (opts: { url?: string; token?: string }, command: Command) => {
    const target = clientFor(command, opts);
    const remote = new Client({ name: 'orchard-mcp-stdio', version: orchardVersion() });
    try {
      await remote.connect(
        new StreamableHTTPClientTransport(new URL('/mcp', target.url), {
          requestInit: { headers: { authorization: `Bearer ${target.token}` } },
        }),
      );
    } catch (error) {
      throw new CliError(
        `Cannot open Orchard's MCP endpoint at ${target.url}/mcp: ${(error as Error).message}`,
      );
    }
    const server = new Server(
      { name: 'orchard', version: remote.getServerVersion()?.version ?? orchardVersion() },
      { capabilities: { tools: {}, resources: {} }, instructions: remote.getInstructions() },
    );
    server.setRequestHandler(ListToolsRequestSchema, (request) => remote.listTools(request.params));
    server.setRequestHandler(ListResourcesRequestSchema, (request) => remote.listResources(request.params));
    server.setRequestHandler(ListResourceTemplatesRequestSchema, (request) =>
      remote.listResourceTemplates(request.params),
    );
    server.setRequestHandler(ReadResourceRequestSchema, (request) => remote.readResource(request.params));
    server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
      const progressToken = request.params._meta?.progressToken;
      return remote.callTool(request.params, undefined, {
        signal: extra.signal,
        // Long tools wait up to 600 s for what they started, reporting progress meanwhile.
        timeout: LONG_CALL_MS,
        resetTimeoutOnProgress: true,
        ...(progressToken !== undefined
          ? {
              onprogress: (progress) =>
                void extra.sendNotification({
                  method: 'notifications/progress',
                  params: { progressToken, ...progress },
                }),
            }
          : {}),
      });
    });
    const closed = new Promise<void>((resolve) => {
      server.onclose = () => resolve();
    });
    await server.connect(new StdioServerTransport());
    // The client closing our stdin ends the session.
    process.stdin.once('end', () => void server.close());
    await closed;
    await remote.close();
  });
}
