import type { JSONRPCResultResponse } from '@modelcontextprotocol/sdk/types.js';

/** One `tools/call` request, as a POST carries it alone. */
export interface DirectCall {
  id: string | number;
  name: string;
  arguments: Record<string, unknown>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

const only = (value: Record<string, unknown>, keys: readonly string[]) =>
  Object.keys(value).every((key) => keys.includes(key));

/**
 * The call when a POST body is one plain `tools/call` request: a JSON-RPC 2.0 request the SDK's
 * schemas accept, with a tool name and arguments and nothing else (no `_meta`, so no progress
 * token; no task). Anything else — a batch, notifications, other methods, extra fields, a progress
 * token — is undefined and goes through the SDK's server. The checks are stricter than the SDK's
 * (it accepts every body this accepts), so a body answered here would be answered alike there.
 */
export function directToolCall(body: unknown): DirectCall | undefined {
  if (!isPlainObject(body) || body.jsonrpc !== '2.0' || body.method !== 'tools/call') return undefined;
  if (!only(body, ['jsonrpc', 'id', 'method', 'params'])) return undefined;
  const { id, params } = body;
  if (typeof id !== 'string' && !(typeof id === 'number' && Number.isInteger(id))) return undefined;
  if (!isPlainObject(params) || !only(params, ['name', 'arguments'])) return undefined;
  if (typeof params.name !== 'string' || !isPlainObject(params.arguments)) return undefined;
  return { id, name: params.name, arguments: params.arguments };
}

/** The answer to a direct call, as the SDK's server words it (the same keys in the same order). */
export function directAnswer(
  call: DirectCall,
  result: JSONRPCResultResponse['result'],
): JSONRPCResultResponse {
  return { result, jsonrpc: '2.0', id: call.id };
}
