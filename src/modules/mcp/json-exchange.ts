import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  type JSONRPCRequest,
  type MessageExtraInfo,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';

/** As the SDK's Streamable HTTP transport bounds a batch. */
const MAX_BATCH = 100;

/** A refusal in the shape the SDK's transport answers with (a JSON-RPC error without an id). */
export interface ExchangeRefusal {
  status: number;
  body: { jsonrpc: '2.0'; error: { code: number; message: string }; id: null };
}

const refusal = (status: number, code: number, message: string): ExchangeRefusal => ({
  status,
  body: { jsonrpc: '2.0', error: { code, message }, id: null },
});

/**
 * The checks the SDK's Streamable HTTP transport makes of a POST's headers: both answer types
 * accepted, a protocol version it supports.
 */
export function refusedHeaders(
  headers: Record<string, string | string[] | undefined>,
): ExchangeRefusal | undefined {
  const accept = String(headers.accept ?? '');
  if (!accept.includes('application/json') || !accept.includes('text/event-stream'))
    return refusal(
      406,
      -32000,
      'Not Acceptable: Client must accept both application/json and text/event-stream',
    );
  const version = headers['mcp-protocol-version'];
  if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version))
    return refusal(
      400,
      -32000,
      `Bad Request: Unsupported protocol version: ${version} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
    );
  return undefined;
}

/**
 * The checks the SDK's Streamable HTTP transport makes of a POST, on headers and a parsed body:
 * the headers' (above), then well-formed JSON-RPC messages.
 */
export function readExchange(
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
): { messages: JSONRPCMessage[] } | ExchangeRefusal {
  const refused = refusedHeaders(headers);
  if (refused) return refused;
  const batch = Array.isArray(body);
  const raw = batch ? (body as unknown[]) : [body];
  if (raw.length > MAX_BATCH)
    return refusal(400, -32600, `Invalid Request: Batch must not exceed ${MAX_BATCH} messages`);
  const messages: JSONRPCMessage[] = [];
  for (const message of raw) {
    const parsed = JSONRPCMessageSchema.safeParse(message);
    if (!parsed.success) return refusal(400, -32700, 'Parse error: Invalid JSON-RPC message');
    messages.push(parsed.data);
  }
  return { messages };
}

/**
 * An in-memory transport for one POST answered as plain JSON: the messages go to the server, its
 * responses come back as values. It does what the SDK's Streamable HTTP transport does in JSON
 * mode without converting the request and the answer to Web Request and Response objects, which
 * costs more than the rest of a tool call's MCP handling (see bench/mcp.ts). Notifications the
 * server sends meanwhile have no stream to go to and are dropped, as in the SDK's JSON mode.
 */
export class JsonExchange implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  private readonly waiting = new Map<string | number, (message: JSONRPCMessage) => void>();

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if ('id' in message && ('result' in message || 'error' in message))
      this.waiting.get(message.id as string | number)?.(message);
  }

  async close(): Promise<void> {
    this.onclose?.();
  }

  /** Hands the messages to the server; resolves with its answers to the requests among them. */
  exchange(messages: JSONRPCMessage[], extra: MessageExtraInfo): Promise<JSONRPCMessage[]> {
    // Checked as JSON-RPC already: a request is a message with a method and an id.
    const requests = messages.filter((m): m is JSONRPCRequest => 'method' in m && 'id' in m);
    const answers = requests.map(
      (request) =>
        new Promise<JSONRPCMessage>((resolve) => {
          this.waiting.set(request.id, resolve);
        }),
    );
    for (const message of messages) this.onmessage?.(message, extra);
    return Promise.all(answers);
  }
}
