import { CallToolRequestSchema, JSONRPCRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { directToolCall } from './direct-call.ts';

const call = (params: unknown, extra: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params,
  ...extra,
});

/** Bodies a POST may carry, and whether they are answered directly (else by the SDK's server). */
const BODIES: Array<[string, unknown, boolean]> = [
  ['a call', call({ name: 'list_issues', arguments: { slug: 'shop' } }), true],
  ['a call with a string id', { ...call({ name: 'x', arguments: {} }), id: 'one' }, true],
  ['a call with no arguments', call({ name: 'list_projects' }), false],
  ['arguments that are an array', call({ name: 'x', arguments: [] }), false],
  ['arguments that are null', call({ name: 'x', arguments: null }), false],
  ['a name that is not a string', call({ name: 7, arguments: {} }), false],
  ['a progress token', call({ name: 'x', arguments: {}, _meta: { progressToken: 1 } }), false],
  ['a task', call({ name: 'x', arguments: {}, task: { ttl: 1000 } }), false],
  ['a field JSON-RPC does not have', call({ name: 'x', arguments: {} }, { extra: true }), false],
  ['a fractional id', { ...call({ name: 'x', arguments: {} }), id: 1.5 }, false],
  ['a null id', { ...call({ name: 'x', arguments: {} }), id: null }, false],
  [
    'no id (a notification)',
    { jsonrpc: '2.0', method: 'tools/call', params: { name: 'x', arguments: {} } },
    false,
  ],
  ['JSON-RPC 1.0', { ...call({ name: 'x', arguments: {} }), jsonrpc: '1.0' }, false],
  ['another method', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, false],
  ['a batch of one call', [call({ name: 'x', arguments: {} })], false],
  ['no params', { jsonrpc: '2.0', id: 1, method: 'tools/call' }, false],
  ['a string', 'tools/call', false],
];

describe('directToolCall', () => {
  it.each(BODIES)('%s: answered directly = %s', (_name, body, direct) => {
    const got = directToolCall(body);
    expect(got !== undefined).toBe(direct);
    // Whatever is answered directly is a request the SDK's own schemas accept, read alike.
    if (got) {
      expect(JSONRPCRequestSchema.safeParse(body).success).toBe(true);
      const parsed = CallToolRequestSchema.parse(body);
      expect(got).toEqual({ id: (body as { id: unknown }).id, ...parsed.params });
    }
  });
});
