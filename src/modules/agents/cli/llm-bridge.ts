/**
 * The way from a CLI agent's sandbox to the LLM: the sandbox has no network but its own loopback
 * (`network: 'none'`), and the socket relay inside it (withSocketRelay) listens on 127.0.0.1 and
 * carries each connection through a Unix socket (a file bound into the sandbox) to Orchard, which
 * connects it to the LLM endpoint. Besides this, a sandbox reaches only the hosts its project's
 * `network.allow` names, through the egress proxy (`agents/egress/`). The relay passes bytes, not
 * requests: metering and the key check stay with Orchard's proxy at the other end. Orchard's own
 * MCP server (`/mcp`, on the same listener as the proxy) is reached the same way, on the same port.
 */
import { chmod, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { SocketRoute } from '../../../platform/sandbox/index.ts';
import type { AgentLlmEndpoint } from '../agent-runtime.ts';

/** Where the relay listens inside the sandbox: the first origin on this port, the next on +1 … */
export const INNER_PORT = 41_000;

export interface LlmBridge {
  /** The endpoint as the CLI inside the sandbox must call it (http://127.0.0.1:<inner port>/…). */
  inner: AgentLlmEndpoint;
  /** Orchard's MCP server as the CLI inside the sandbox must call it, when one was given. */
  innerMcp?: string;
  /** The relay's routes, for `withSocketRelay`. */
  routes: SocketRoute[];
  close(): Promise<void>;
}

const PROTOCOLS = ['anthropic', 'openai', 'gemini'] as const;

/**
 * Opens one Unix socket per distinct origin of `llm` (and of `mcpUrl`, Orchard's MCP server) in
 * `dir` (a directory bound into the sandbox).
 */
export async function openLlmBridge(llm: AgentLlmEndpoint, dir: string, mcpUrl?: string): Promise<LlmBridge> {
  const origins = new Map<string, { port: number; socket: string; target: URL }>();
  const innerUrl = (what: string, raw: string) => {
    const url = new URL(raw);
    if (url.protocol !== 'http:')
      throw new Error(
        `A CLI agent reaches the LLM through Orchard's proxy on this machine over plain HTTP; ${what} is ${url.origin}. Point the agent endpoint at Orchard's local listener.`,
      );
    let route = origins.get(url.origin);
    if (!route) {
      route = {
        port: INNER_PORT + origins.size,
        socket: path.join(dir, `llm-${origins.size}.sock`),
        target: url,
      };
      origins.set(url.origin, route);
    }
    return `http://127.0.0.1:${route.port}${url.pathname.replace(/\/$/, '')}${url.search}`;
  };
  const inner = { ...llm };
  for (const protocol of PROTOCOLS) inner[protocol] = innerUrl(protocol, llm[protocol]);
  const innerMcp = mcpUrl ? innerUrl('mcp', mcpUrl) : undefined;
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  const close = async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await Promise.all([...origins.values()].map((r) => rm(r.socket, { force: true })));
  };
  try {
    for (const route of origins.values()) {
      const server = net.createServer((client) => {
        const upstream = net.connect(Number(route.target.port || 80), route.target.hostname);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const end = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
      });
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(route.socket, resolve);
      });
      // The sandbox's user (another uid when Orchard is root) must be able to connect.
      await chmod(route.socket, 0o666);
    }
  } catch (error) {
    await close();
    throw error;
  }
  const routes = [...origins.values()].map(({ port, socket }) => ({ port, socket }));
  return { inner, ...(innerMcp ? { innerMcp } : {}), routes, close };
}
