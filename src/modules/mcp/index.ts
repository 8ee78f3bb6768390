/** The MCP module's public face: Orchard's tools for MCP clients, over Streamable HTTP at /mcp. */
export type { McpTool, ToolSet } from './mcp-tool.ts';
export { MCP_PATH, mcpRoutes } from './routes.ts';
export { orchardTools } from './tool-sets.ts';
