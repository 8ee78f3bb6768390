/**
 * Orchard's own tools for the llm-agent: the official MCP client, connected to Orchard's `/mcp`
 * with the session's delegated token, lists what that token may use (its project's issues, merge
 * requests, pipelines, operations, its branches' previews) and calls it. The tools join the
 * model's list as `orchard__<name>`, a name no workspace tool has, so the two never collide.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { LlmTool } from '../../llm/index.ts';
import type { AgentMcpEndpoint } from '../agent-runtime.ts';
import { truncateMiddle } from './edit-text.ts';

export const ORCHARD_TOOL_PREFIX = 'orchard__';

/** What a tool's answer may put in the conversation (its JSON pages can be long). */
const MAX_OUTPUT = 24_000;
/** Long tools follow what they start for `waitSeconds` (50 s by default, at most 600); this bounds a stuck call. */
const CALL_TIMEOUT_MS = 11 * 60_000;

export interface OrchardTools {
  /** The tools as the model is offered them, by their prefixed names. */
  tools: Record<string, LlmTool>;
  has(name: string): boolean;
  /** Calls one; Orchard's refusals (a 403, bad input) are tool errors the model reads. */
  call(name: string, args: unknown, signal: AbortSignal): Promise<{ output: string; isError: boolean }>;
  close(): Promise<void>;
}

/** Connects to Orchard's MCP server and lists the tools the session's token is offered. */
export async function connectOrchardTools(
  endpoint: AgentMcpEndpoint,
  signal: AbortSignal,
): Promise<OrchardTools> {
  const client = new Client({ name: 'orchard-llm-agent', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(endpoint.url), {
      requestInit: { headers: { authorization: `Bearer ${endpoint.token}` } },
    }),
    { signal },
  );
  try {
    const tools: Record<string, LlmTool> = {};
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {}, { signal });
      for (const tool of page.tools)
        tools[`${ORCHARD_TOOL_PREFIX}${tool.name}`] = {
          description: `Orchard: ${tool.description ?? tool.title ?? tool.name}`,
          inputSchema: tool.inputSchema,
        };
      cursor = page.nextCursor;
    } while (cursor);
    return {
      tools,
      has: (name) => Object.hasOwn(tools, name),
      call: async (name, args, callSignal) => {
        let result: Awaited<ReturnType<typeof client.callTool>>;
        try {
          result = await client.callTool(
            {
              name: name.slice(ORCHARD_TOOL_PREFIX.length),
              arguments: (args ?? {}) as Record<string, unknown>,
            },
            undefined,
            { signal: callSignal, timeout: CALL_TIMEOUT_MS },
          );
        } catch (error) {
          // A call that did not get through is the model's to retry or work around, not the run's end.
          callSignal.throwIfAborted();
          return { output: `Orchard did not answer: ${(error as Error).message}`, isError: true };
        }
        const content = Array.isArray(result.content) ? result.content : [];
        // A refusal is its detail (what to do) and then its problem document (the fields at fault).
        const texts = content.flatMap((part) => (part.type === 'text' ? [part.text] : []));
        const output = texts.join('\n') || (result.isError ? 'The tool failed.' : '(no output)');
        return { output: truncateMiddle(output, MAX_OUTPUT), isError: Boolean(result.isError) };
      },
      close: () => client.close(),
    };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}
