import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * The official MCP client connected to a test Orchard's `/mcp` with a token, over Streamable HTTP;
 * every client opened is closed by `closeAll` (call it in afterAll).
 */
export class McpClients {
  readonly open: Client[] = [];

  constructor(private readonly base: () => string) {}

  async connect(token: string): Promise<Client> {
    const client = new Client({ name: 'orchard-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL('/mcp', this.base()), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    this.open.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    for (const client of this.open) await client.close().catch(() => undefined);
  }
}
