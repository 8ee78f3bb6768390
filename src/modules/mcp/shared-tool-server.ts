import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, JSONRPCRequest, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import type { Actor } from '../../platform/http/actor.ts';
import { callable, type McpCaller, type McpServerDeps, newMcpServer, registerTool } from './mcp-server.ts';
import type { McpTool } from './mcp-tool.ts';

/**
 * One MCP server for the whole process, for the commonest POST: only calls of tools the caller is
 * offered, answered as plain JSON. Building a server per POST (and registering its tools) was half
 * of what MCP added to a call (bench/mcp.ts); this one is built once, and each call carries its
 * caller with it. Everything else — listing (which depends on the caller), resources,
 * notifications, long tools with their progress stream — gets a server of its own per POST.
 */
export class SharedToolServer {
  private readonly server: McpServer;
  private readonly exchange = new MultiplexExchange();
  private readonly connected: Promise<void>;
  private readonly byName: Map<string, McpTool>;

  constructor(deps: McpServerDeps, tools: readonly McpTool[]) {
    this.server = newMcpServer();
    this.byName = new Map(tools.filter((t) => !t.progress).map((t) => [t.name, t]));
    for (const tool of this.byName.values())
      registerTool(this.server, deps, tool, (extra) => callerOf(extra.authInfo?.extra));
    this.connected = this.server.connect(this.exchange);
  }

  /**
   * Whether these messages are its kind: requests only (a notification such as a cancellation
   * names a request by the id its client gave, which means nothing here), each a call of a short
   * tool this actor is offered.
   */
  takes(messages: readonly JSONRPCMessage[], actor: Actor): boolean {
    return messages.every((m) => {
      if (!('method' in m) || !('id' in m) || m.method !== 'tools/call') return false;
      const tool = this.byName.get(String(m.params?.name));
      return tool !== undefined && callable(tool, actor);
    });
  }

  /** The answers to the calls, made as `caller`. */
  async call(messages: JSONRPCRequest[], caller: McpCaller): Promise<JSONRPCMessage[]> {
    await this.connected;
    return this.exchange.exchange(messages, {
      requestInfo: { headers: caller.request.headers },
      // The SDK hands authInfo to the tool's handler as is: the caller travels with its call.
      authInfo: { token: '', clientId: caller.ctx.actor.userId, scopes: [], extra: { caller } },
    });
  }

  async close(): Promise<void> {
    await this.server.close();
  }
}

function callerOf(extra: Record<string, unknown> | undefined): McpCaller {
  const caller = extra?.caller as McpCaller | undefined;
  if (!caller) throw new Error('a shared MCP call came without its caller');
  return caller;
}

/**
 * The shared server's transport: requests of many POSTs at once, whose clients chose their ids
 * independently, so each gets an id of its own on the way in and its client's id back on the way
 * out. Notifications the server sends (there is no stream to send them on) are dropped, as in the
 * SDK's JSON mode.
 */
export class MultiplexExchange implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  private next = 0;
  private readonly waiting = new Map<number, (message: JSONRPCMessage) => void>();

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if ('id' in message && ('result' in message || 'error' in message) && typeof message.id === 'number') {
      const answer = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      answer?.(message);
    }
  }

  async close(): Promise<void> {
    for (const [id, answer] of this.waiting)
      answer({ jsonrpc: '2.0', id, error: { code: -32000, message: 'Orchard is shutting down' } });
    this.waiting.clear();
    this.onclose?.();
  }

  exchange(requests: JSONRPCRequest[], extra: MessageExtraInfo): Promise<JSONRPCMessage[]> {
    const answers = requests.map((request) => {
      const own = ++this.next;
      const answered = new Promise<JSONRPCMessage>((resolve) => {
        this.waiting.set(own, (message) => resolve({ ...message, id: request.id } as JSONRPCMessage));
      });
      this.onmessage?.({ ...request, id: own }, extra);
      return answered;
    });
    return Promise.all(answers);
  }
}
